import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei note …`: notes of hearings with the prefectures — who attended, what was said,
/// what follows up.
public enum NoteCommand: AgentCommand {
  static let idArgument = Parameter.argument("id", help: "The note's id, as note list prints it.")

  public static let command = Command(
    "note", abstract: "Keeps hearing notes: who attended, what was said, what follows up.",
    subcommands: [
      Command(
        "add", abstract: "Adds a hearing note and prints its id.",
        parameters: [
          .option("topic", valueName: "text", help: "What the hearing was about.", required: true),
          .option("held-on", valueName: "date", help: "When it was held: 2023-06-12, 令和5年6月12日, R5.6.12, or 2023-06.", required: true),
          .option("attendee", valueName: "name", help: "Someone who attended; repeat for each.", repeatable: true),
          .option("body-file", valueName: "file", help: "A UTF-8 text file holding the notes (- reads standard input)."),
          .option("follow-ups", valueName: "text", help: "What is to follow up."),
          .option("status", valueName: "status", help: "draft (the default) or final."),
          .option("scope", valueName: "code", help: "Whose note: a prefecture code (11) or the bureau (default this replica's scope)."),
          .flag("json", help: "Print the new note as JSON instead of its id."),
        ]),
      Command(
        "edit", abstract: "Changes a hearing note; with no options, opens the body in $EDITOR.",
        discussion: """
          Given only the id, the body opens in $EDITOR (else vi); it is written when you save a changed body, and \
          nothing is written when it is unchanged. If a sync changes the body while you edit, the two are merged line \
          by line; if they overlap, nothing is written and your text is kept in a file whose name is printed.
          """,
        parameters: [
          idArgument,
          .option("body-file", valueName: "file", help: "Replace the body with this UTF-8 text file (- reads standard input)."),
          .option("topic", valueName: "text", help: "What the hearing was about."),
          .option("held-on", valueName: "date", help: "When it was held."),
          .option(
            "attendee", valueName: "name", help: "Someone who attended; repeat for each. Replaces the list; --attendee \"\" empties it.",
            repeatable: true),
          .option("follow-ups", valueName: "text", help: "What is to follow up; \"\" clears it."),
          .option("status", valueName: "status", help: "draft or final."),
          .flag("json", help: "Print the edited note as JSON."),
        ]),
      Command(
        "list", abstract: "Lists hearing notes, most recently held first.",
        parameters: [
          .option("fy", valueName: "year", help: "Only this fiscal year (2023, FY2023, 令和5年度, R5)."),
          .option("status", valueName: "status", help: "Only drafts (draft) or finished notes (final)."),
          EventCommand.scopeFilter("notes"),
          .flag("json", help: "Print the notes as JSON records."),
        ]),
      Command(
        "show", abstract: "Shows one hearing note in full.",
        parameters: [idArgument, .flag("json", help: "Print the note as a JSON record.")]),
      Command(
        "search", abstract: "Finds hearing notes containing every word given.",
        discussion:
          "Words match anywhere in the topic, body, follow-ups and attendees, Japanese without word breaks (認知 finds 認知症), in any width and case: abc finds ＡＢＣ, 2026 finds ２０２６, ケアマネ finds ｹｱﾏﾈ.",
        parameters: [
          .argument("words", help: "The words to look for.", variadic: true),
          .flag("json", help: "Print the notes found as JSON records."),
        ]),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    switch arguments.subcommandPath.dropFirst() {
    case ["add"]: try add(arguments, in: directory)
    case ["edit"]: try edit(arguments, in: directory)
    case ["list"]:
      let year = try arguments.fiscalYear("fy")
      let status = try arguments.choice("status", NoteStatus.self, what: "a note status")
      let scope = try arguments.scope("scope")
      let notes = try AgentReplica.open(directory).records(kind: .note)
        .filter { note in
          (year.map { note.state.fiscalYear() == $0 } ?? true) && (status.map { note.state.text("status") == $0.rawValue } ?? true)
            && (scope.map { note.scope == $0 } ?? true)
        }
        .sorted(by: mostRecentFirst)
      var filters: [String] = []
      if let scope { filters.append("of \(scope.label)") }
      if let year { filters.append("in \(year.bothNames)") }
      if let status { filters.append("with status \(status.rawValue)") }
      let empty =
        filters.isEmpty
        ? "no hearing notes on this replica yet; add one with: renkei note add --topic TEXT --held-on DATE"
        : "no hearing notes " + filters.joined(separator: " ")
      try printNotes(notes, json: arguments.flag("json"), footer: filters.joined(separator: " "), empty: empty)
    case ["show"]:
      let id = try arguments.recordID("id")
      let stored = try AgentReplica.open(directory).stored(id, .note, includeDeleted: true)
      if arguments.flag("json") {
        print(try RecordDocument.json(RecordDocument(stored)))
      } else {
        print(view(of: stored), terminator: "")
      }
    case ["search"]:
      let words = arguments.strings("words").joined(separator: " ")
      guard !words.trimmingWhitespace.isEmpty else { throw arguments.usageError("give at least one word to look for") }
      let notes = try AgentReplica.open(directory).searchNotes(words)
      try printNotes(notes, json: arguments.flag("json"), footer: "matching \(words)", empty: "no hearing notes match \(words)")
    default:
      throw arguments.usageError("unknown note command")
    }
  }

  // MARK: Subcommands

  static func add(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    var fields = try noteFields(arguments)
    let scope = try arguments.scope("scope")
    if let path = arguments.string("body-file") { fields["body"] = .text(try readBody(path)) }
    let replica = try AgentReplica.open(directory)
    fields["scope"] = .string((scope ?? replica.scope).rawValue)
    let change = try AgentReplica.saving("the note") { try replica.create(.note, fields: fields) }
    if arguments.flag("json") {
      print(try RecordDocument.json(RecordDocument(try replica.stored(change.recordID, .note))))
    } else {
      print(change.recordID)
    }
  }

  static func edit(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let id = try arguments.recordID("id")
    var fields = try noteFields(arguments)
    if let path = arguments.string("body-file") { fields["body"] = .text(try readBody(path)) }
    guard !fields.isEmpty else {
      try editBodyInEditor(id, in: directory, json: arguments.flag("json"))
      return
    }
    let replica = try AgentReplica.open(directory)
    _ = try replica.stored(id, .note)
    // A new date moves the note into that date's fiscal year.
    if case .string(let iso)? = fields["held_on"], let date = try? RecordDate(iso: iso) {
      fields["fiscal_year"] = .integer(Int64(date.fiscalYear.startYear))
    }
    let change: Change
    do {
      change = try replica.update(id, fields: fields)
    } catch let error as ReplicaError where error.code == .nothingChanged {
      try printUnchanged(id, "already holds these values", replica: replica, json: arguments.flag("json"))
      return
    } catch let error as ReplicaError {
      throw AgentError(.badInput, "note \(id) was not saved: \(error.message)")
    }
    try printEdited(id, fields: change.fields.keys.sorted(), replica: replica, json: arguments.flag("json"))
  }

  /// Opens the body in the person's editor and writes it back only when it changed. The
  /// replica is closed while the editor is open, so a sync meanwhile is not held up; what
  /// it brings is merged with the edit, and an edit that cannot be merged or saved is left
  /// in its file, whose name the error gives.
  static func editBodyInEditor(_ id: RecordID, in directory: AgentDirectory, json: Bool) throws {
    let original = try AgentReplica.open(directory).stored(id, .note).state.text("body") ?? ""
    let editor = ExternalEditor()
    let file = try editor.makeFile(containing: original, named: "note-\(id).txt")
    func keeping(_ error: any Error) -> AgentError {
      let message = (error as? AgentError)?.message ?? "\(error)"
      return AgentError(
        (error as? AgentError)?.code ?? .badInput,
        "\(message); nothing was written. Your text is kept in \(file.path); to store it run: renkei --dir \(directory.path) note edit \(id) --body-file \(file.path)"
      )
    }
    let edited: String
    do {
      try editor.run(on: file)
      // Compared and merged as it will be stored: an editor that saves CR LF line endings
      // has changed no line by that alone.
      edited = FieldValue.normalForm(try editor.read(file))
    } catch {
      if let text = try? editor.read(file), !ExternalEditor.isUnchanged(text, from: original) { throw keeping(error) }
      editor.discard(file)
      throw AgentError((error as? AgentError)?.code ?? .badInput, "\((error as? AgentError)?.message ?? "\(error)"); nothing was written")
    }
    guard !ExternalEditor.isUnchanged(edited, from: original) else {
      editor.discard(file)
      try printUnchanged(id, "has the same body as before; nothing written", replica: try AgentReplica.open(directory), json: json)
      return
    }
    let replica: Replica
    let change: Change
    var merged = false
    do {
      replica = try AgentReplica.open(directory)
      let current = try replica.stored(id, .note).state.text("body") ?? ""
      var body = edited
      if current != original {
        switch TextMerge.merge(base: original, ours: edited, theirs: current) {
        case .merged(let text):
          body = text
          merged = true
        case .conflict:
          throw AgentError(
            .badInput,
            "the body of note \(id) was changed on this replica while you edited it (by a sync or another edit), and the changes overlap")
        }
      }
      do {
        change = try replica.update(id, fields: ["body": .text(body)])
      } catch let error as ReplicaError where error.code == .nothingChanged {
        editor.discard(file)
        try printUnchanged(id, "already holds this body", replica: replica, json: json)
        return
      } catch let error as ReplicaError {
        throw AgentError(.badInput, "note \(id) was not saved: \(error.message)")
      }
    } catch {
      throw keeping(error)
    }
    editor.discard(file)
    if merged && !json { print("merged your edit with the changes made to the body of note \(id) while you edited it") }
    try printEdited(id, fields: change.fields.keys.sorted(), replica: replica, json: json)
  }

  // MARK: Fields and views

  /// The fields the options give; usage errors for values that cannot be read.
  static func noteFields(_ arguments: ParsedArguments) throws(CommandLineError) -> RecordFields {
    var fields: RecordFields = [:]
    if let topic = arguments.textField("topic") { fields["topic"] = topic }
    if let followUps = arguments.textField("follow-ups") { fields["follow_ups"] = followUps }
    if let date = try arguments.dateField("held-on") { fields["held_on"] = date }
    if let status = try arguments.choice("status", NoteStatus.self, what: "a note status") { fields["status"] = .string(status.rawValue) }
    let attendees = arguments.strings("attendee")
    if !attendees.isEmpty { fields["attendees"] = .set(attendees.filter { !$0.trimmingWhitespace.isEmpty }) }
    return fields
  }

  /// The text of a body file, or of standard input for `-`, without a byte-order mark.
  static func readBody(_ path: String) throws -> String {
    let data: Data
    if path == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
      guard let contents = FileManager.default.contents(atPath: path) else { throw AgentError(.badInput, "cannot read \(path)") }
      data = contents
    }
    guard var text = String(data: data, encoding: .utf8) else {
      throw AgentError(.badInput, "\(path == "-" ? "standard input" : path) is not UTF-8 text: save it as UTF-8")
    }
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    return text
  }

  static func printUnchanged(_ id: RecordID, _ why: String, replica: Replica, json: Bool) throws {
    if json {
      print(try RecordDocument.json(RecordDocument(try replica.stored(id, .note))))
    } else {
      print("no change: note \(id) \(why)")
    }
  }

  static func printEdited(_ id: RecordID, fields: [String], replica: Replica, json: Bool) throws {
    if json {
      print(try RecordDocument.json(RecordDocument(try replica.stored(id, .note))))
    } else {
      let names = ["held_on": "held-on", "follow_ups": "follow-ups", "attendees": "attendee", "fiscal_year": "fiscal year"]
      print("edited note \(id): \(fields.map { names[$0] ?? $0 }.joined(separator: ", "))")
      if let notice = ConflictNotice.afterEdit(of: try replica.stored(id, .note), kind: "note") { print(notice) }
    }
  }

  /// Most recently held first, undated last, then by id: the order search returns too.
  static func mostRecentFirst(_ lhs: StoredRecord, _ rhs: StoredRecord) -> Bool {
    switch (lhs.state.date("held_on"), rhs.state.date("held_on")) {
    case (let left?, let right?) where left != right: return left > right
    case (.some, nil): return true
    case (nil, .some): return false
    default: return lhs.id < rhs.id
    }
  }

  static func printNotes(_ notes: [StoredRecord], json: Bool, footer: String, empty: String) throws {
    if json {
      print(try RecordDocument.json(notes.map(RecordDocument.init)))
      return
    }
    guard !notes.isEmpty else {
      print(empty)
      return
    }
    // Whose each note is, when notes of several scopes show, as on a bureau's replica.
    let severalScopes = Set(notes.map(\.scope)).count > 1
    var columns: [TextTable.Column] = [.init("日付")]
    if severalScopes { columns.append(.init("区分")) }
    columns += [.init("状態"), .init("議題", maxWidth: 40), .init("出席者", maxWidth: 30), .init("衝突"), .init("ID")]
    var table = TextTable(columns: columns)
    for note in notes {
      let state = note.state
      var row = [state.text("held_on") ?? "未定"]
      if severalScopes { row.append(note.scope.label) }
      row += [
        state.text("status") ?? "", state.text("topic") ?? "", state.list("attendees").joined(separator: "、"),
        note.conflict == nil ? "" : "あり", note.id.rawValue,
      ]
      table.append(row)
    }
    print(table.render(), terminator: "")
    print(RecordText.count(notes.count, "note") + (footer.isEmpty ? "" : " " + footer))
  }

  /// The view `note show` prints, labelled with the options that set each field.
  static func view(of stored: StoredRecord) -> String {
    let state = stored.state
    var view = FieldView()
    view.append("id", stored.id.rawValue)
    view.append("topic", state.text("topic"))
    view.append("held-on", RecordText.date(state.date("held_on")))
    view.append("fiscal year", state.fiscalYear()?.bothNames)
    view.append("status", state.text("status"))
    view.append("attendees", state.list("attendees").joined(separator: "、"))
    view.append("scope", stored.scope.label)
    view.append("follow-ups", state.text("follow_ups"))
    view.append("body", state.text("body"))
    RecordText.status(of: stored, into: &view)
    return view.render()
  }
}
