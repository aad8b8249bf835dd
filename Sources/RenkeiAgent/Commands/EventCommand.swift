import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei event …`: the schedule — councils, seminars, case-study meetings, hearings.
public enum EventCommand: AgentCommand {
  static let kindNames = EventKind.allCases.map(\.rawValue)

  /// The options that set an event's fields; `add` requires a title and a kind, `edit`
  /// changes only what is given.
  static func fieldOptions(adding: Bool) -> [Parameter] {
    let clear = adding ? "" : " \"\" clears it."
    return [
      .option("title", valueName: "text", help: "The event's title.", required: adding),
      .option("kind", valueName: "kind", help: "One of \(kindNames.joined(separator: ", ")).", required: adding),
      .option(
        "starts-on", valueName: "date",
        help: "The first day: 2023-05-30, 令和5年5月30日, R5.5.30, or 2023-05 when only the month is known.\(clear)"),
      .option("ends-on", valueName: "date", help: "The last day, for events over several days.\(clear)"),
      .option("venue", valueName: "text", help: "Where it is held.\(clear)"),
      .option(
        "co-host", valueName: "name",
        help: adding
          ? "A co-hosting body; repeat for each." : "A co-hosting body; repeat for each. Replaces the list; --co-host \"\" empties it.",
        repeatable: true),
      .option("audience", valueName: "text", help: "Who it is for.\(clear)"),
      .option("participants", valueName: "count", help: "How many took part, a whole number.\(clear)"),
      .option("status", valueName: "status", help: "planned (the default), held, postponed or cancelled."),
      .option("notes", valueName: "text", help: "Free notes.\(clear)"),
      .option("fy", valueName: "year", help: "The fiscal year (2023, FY2023, 令和5年度, R5), needed when there is no date."),
    ]
  }

  static let idArgument = Parameter.argument("id", help: "The event's id, as event list prints it.")

  /// The `--scope` filter of the lists: a bureau's replica holds the records of every
  /// prefecture of the bureau, and its staff look at one prefecture at a time.
  static func scopeFilter(_ records: String) -> Parameter {
    .option("scope", valueName: "code", help: "Only the \(records) of this prefecture (11), or the bureau's own (kanto-shinetsu).")
  }

  public static let command = Command(
    "event", abstract: "Keeps the schedule: councils, seminars, case-study meetings, hearings.",
    discussion:
      "Dates are typed as 2023-05-30, 2023/5/30, 2023-05 (month only), 令和5年5月30日 or R5.5.30, and stored as 2023-05-30. Edits are saved on this replica at once and reach the hub on the next renkei sync.",
    subcommands: [
      Command(
        "add", abstract: "Adds an event and prints its id.",
        parameters: fieldOptions(adding: true) + [
          .option(
            "scope", valueName: "code", help: "Whose event it is: a prefecture code (11) or the bureau (default this replica's scope)."),
          .flag("json", help: "Print the new event as JSON instead of its id."),
        ]),
      Command(
        "edit", abstract: "Changes fields of an event.",
        discussion:
          "Only the fields given change. When other replicas changed the same event meanwhile, the hub merges the edits; see renkei conflicts.",
        parameters: [idArgument] + fieldOptions(adding: false) + [.flag("json", help: "Print the edited event as JSON.")]),
      Command(
        "list", abstract: "Lists events as a table, by fiscal year and date.",
        parameters: [
          .option("fy", valueName: "year", help: "Only this fiscal year (2023, FY2023, 令和5年度, R5)."),
          .option("kind", valueName: "kind", help: "Only this kind (\(kindNames.joined(separator: ", ")))."),
          .option("status", valueName: "status", help: "Only this status (planned, held, postponed, cancelled)."),
          scopeFilter("events"),
          .flag("json", help: "Print the events as JSON records."),
        ]),
      Command(
        "show", abstract: "Shows one event field by field.",
        parameters: [idArgument, .flag("json", help: "Print the event as a JSON record.")]),
      Command(
        "delete", abstract: "Deletes an event (a tombstone that syncs).",
        parameters: [idArgument]),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    switch arguments.subcommandPath.dropFirst() {
    case ["add"]: try add(arguments, in: directory)
    case ["edit"]: try edit(arguments, in: directory)
    case ["list"]: try list(arguments, in: directory)
    case ["show"]:
      let id = try arguments.recordID("id")
      let stored = try AgentReplica.open(directory).stored(id, .event, includeDeleted: true)
      if arguments.flag("json") {
        print(try RecordDocument.json(RecordDocument(stored)))
      } else {
        print(view(of: stored), terminator: "")
      }
    case ["delete"]:
      let id = try arguments.recordID("id")
      let replica = try AgentReplica.open(directory)
      let stored = try replica.stored(id, .event)
      try AgentReplica.saving("the deletion of event \(id)") { _ = try replica.delete(id) }
      print("deleted event \(id) (\(stored.state.text("title") ?? "")); the deletion reaches the hub on the next sync")
    default:
      throw arguments.usageError("unknown event command")
    }
  }

  // MARK: Subcommands

  static func add(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    var fields = try eventFields(arguments)
    if fields["starts_on"] == nil, fields["fiscal_year"] == nil {
      throw arguments.usageError("give --starts-on, or --fy when the date is not known yet")
    }
    let scope = try arguments.scope("scope")
    let replica = try AgentReplica.open(directory)
    fields["scope"] = .string((scope ?? replica.scope).rawValue)
    let change = try AgentReplica.saving("the event") { try replica.create(.event, fields: fields) }
    if arguments.flag("json") {
      print(try RecordDocument.json(RecordDocument(try replica.stored(change.recordID, .event))))
    } else {
      print(change.recordID)
    }
  }

  static func edit(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let id = try arguments.recordID("id")
    var fields = try eventFields(arguments)
    guard !fields.isEmpty else { throw arguments.usageError("say what to change, e.g. --venue さいたま市民会館") }
    let replica = try AgentReplica.open(directory)
    _ = try replica.stored(id, .event)
    // A new date moves the event into that date's fiscal year, unless --fy says which.
    if fields["fiscal_year"] == nil, case .string(let iso)? = fields["starts_on"], let date = try? RecordDate(iso: iso) {
      fields["fiscal_year"] = .integer(Int64(date.fiscalYear.startYear))
    }
    let change: Change
    do {
      change = try replica.update(id, fields: fields)
    } catch let error as ReplicaError where error.code == .nothingChanged {
      if arguments.flag("json") {
        print(try RecordDocument.json(RecordDocument(try replica.stored(id, .event))))
      } else {
        print("no change: event \(id) already holds these values")
      }
      return
    } catch let error as ReplicaError {
      throw AgentError(error.code == .unknownRecord ? .unknownRecord : .badInput, "event \(id) was not saved: \(error.message)")
    }
    if arguments.flag("json") {
      print(try RecordDocument.json(RecordDocument(try replica.stored(id, .event))))
    } else {
      print("edited event \(id): \(change.fields.keys.sorted().map { optionNames[$0] ?? $0 }.joined(separator: ", "))")
      if let notice = ConflictNotice.afterEdit(of: try replica.stored(id, .event), kind: "event") { print(notice) }
    }
  }

  static func list(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let year = try arguments.fiscalYear("fy")
    let kind = try arguments.choice("kind", EventKind.self, what: "an event kind")
    let status = try arguments.choice("status", EventStatus.self, what: "an event status")
    let scope = try arguments.scope("scope")
    let events = try AgentReplica.open(directory).records(kind: .event)
      .filter { stored in
        (year.map { stored.state.fiscalYear() == $0 } ?? true) && (kind.map { stored.state.text("kind") == $0.rawValue } ?? true)
          && (status.map { stored.state.text("status") == $0.rawValue } ?? true) && (scope.map { stored.scope == $0 } ?? true)
      }
      .sorted(by: inScheduleOrder)
    if arguments.flag("json") {
      print(try RecordDocument.json(events.map(RecordDocument.init)))
      return
    }
    var filters: [String] = []
    if let scope { filters.append("of \(scope.label)") }
    if let year { filters.append("in \(year.bothNames)") }
    if let kind { filters.append("of kind \(kind.rawValue)") }
    if let status { filters.append("with status \(status.rawValue)") }
    let described = filters.isEmpty ? "" : " " + filters.joined(separator: " ")
    guard !events.isEmpty else {
      print(
        filters.isEmpty
          ? "no events on this replica yet; add one with: renkei event add --title TEXT --kind KIND --starts-on DATE"
          : "no events\(described)")
      return
    }
    print(table(of: events).render(), terminator: "")
    let conflicts = events.filter { $0.conflict != nil }.count
    print(
      "\(RecordText.count(events.count, "event"))\(described)\(conflicts == 0 ? "" : "; \(conflicts) in conflict: see renkei conflicts")")
  }

  // MARK: Fields and views

  /// Option names as staff type them, for messages about fields.
  static let optionNames = [
    "starts_on": "starts-on", "ends_on": "ends-on", "co_hosts": "co-host", "fiscal_year": "fiscal year",
  ]

  /// The fields the options give; usage errors for values that cannot be read.
  static func eventFields(_ arguments: ParsedArguments) throws(CommandLineError) -> RecordFields {
    var fields: RecordFields = [:]
    for (option, field) in [("title", "title"), ("venue", "venue"), ("audience", "audience"), ("notes", "notes")] {
      if let value = arguments.textField(option) { fields[field] = value }
    }
    if let kind = try arguments.choice("kind", EventKind.self, what: "an event kind") { fields["kind"] = .string(kind.rawValue) }
    if let status = try arguments.choice("status", EventStatus.self, what: "an event status") {
      fields["status"] = .string(status.rawValue)
    }
    if let date = try arguments.dateField("starts-on") { fields["starts_on"] = date }
    if let date = try arguments.dateField("ends-on") { fields["ends_on"] = date }
    let coHosts = arguments.strings("co-host")
    if !coHosts.isEmpty { fields["co_hosts"] = .set(coHosts.filter { !$0.trimmingWhitespace.isEmpty }) }
    if arguments.string("participants")?.isEmpty == true {
      fields["participants"] = .null
    } else if let participants = try arguments.count("participants") {
      fields["participants"] = .integer(participants)
    }
    if let year = try arguments.fiscalYear("fy") { fields["fiscal_year"] = .integer(Int64(year.startYear)) }
    return fields
  }

  /// By fiscal year, then date (a year's undated events after its dated ones), then id.
  static func inScheduleOrder(_ lhs: StoredRecord, _ rhs: StoredRecord) -> Bool {
    let left = (lhs.state.fiscalYear()?.startYear ?? 0, lhs.state.date("starts_on"))
    let right = (rhs.state.fiscalYear()?.startYear ?? 0, rhs.state.date("starts_on"))
    if left.0 != right.0 { return left.0 < right.0 }
    switch (left.1, right.1) {
    case (let a?, let b?) where a != b: return a < b
    case (.some, nil): return true
    case (nil, .some): return false
    default: return lhs.id < rhs.id
    }
  }

  /// The table `event list` prints: date, whose (when events of several scopes show, as on
  /// a bureau's replica), kind, title, venue, status, conflict, id.
  static func table(of events: [StoredRecord]) -> TextTable {
    let severalScopes = Set(events.map(\.scope)).count > 1
    var columns: [TextTable.Column] = [.init("日付")]
    if severalScopes { columns.append(.init("区分")) }
    columns += [.init("種別"), .init("名称", maxWidth: 40), .init("会場", maxWidth: 24), .init("状況"), .init("衝突"), .init("ID")]
    var table = TextTable(columns: columns)
    for event in events {
      let state = event.state
      var row = [state.text("starts_on") ?? "未定"]
      if severalScopes { row.append(event.scope.label) }
      row += [
        state.text("kind") ?? "", state.text("title") ?? "", state.text("venue") ?? "", state.text("status") ?? "",
        event.conflict == nil ? "" : "あり", event.id.rawValue,
      ]
      table.append(row)
    }
    return table
  }

  /// The field-by-field view `event show` prints, labelled with the options that set each field.
  static func view(of stored: StoredRecord) -> String {
    let state = stored.state
    var view = FieldView()
    view.append("id", stored.id.rawValue)
    view.append("title", state.text("title"))
    view.append("kind", state.text("kind"))
    view.append("status", state.text("status"))
    view.append("starts-on", RecordText.date(state.date("starts_on")))
    view.append("ends-on", RecordText.date(state.date("ends_on")))
    view.append("fiscal year", state.fiscalYear()?.bothNames)
    view.append("venue", state.text("venue"))
    view.append("co-hosts", state.list("co_hosts").joined(separator: ", "))
    view.append("audience", state.text("audience"))
    view.append("participants", state.integer("participants").map(String.init))
    view.append("notes", state.text("notes"))
    view.append("scope", stored.scope.label)
    view.append("source", state.text("source"))
    RecordText.status(of: stored, into: &view)
    return view.render()
  }
}
