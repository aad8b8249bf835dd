import Foundation
import RenkeiCore
import Testing

/// Every `renkei` command, run as the built binary against offline replicas in a temporary
/// directory: what it prints on standard output and standard error, and its exit status.
///
/// The rule the errors follow: a value that cannot be read as what its option takes (a date,
/// a fiscal year, an amount, a kind, a count, an id) is a usage error — `Error: …`, the
/// usage line, a pointer to `--help`, exit 64; a record that reads fine but breaks a rule,
/// an id that names nothing and a missing replica exit 1 with one `Error:` line.
@Suite struct AgentCommandTests {
  static let programme = "地域医療介護総合確保基金（介護施設等整備分）"

  /// The three lines of a usage error, checked whole but for the usage line's options.
  func expectUsageError(_ result: ProcessResult, _ message: String, command: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 64, "exit status", sourceLocation: sourceLocation)
    #expect(result.stdout == "", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4, "three lines and a final line break: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(lines.first == "Error: \(message)"[...], sourceLocation: sourceLocation)
    #expect(lines.dropFirst().first?.hasPrefix("Usage: \(command)") == true, sourceLocation: sourceLocation)
    #expect(lines.dropFirst(2).first == "  See '\(command) --help' for more information.", sourceLocation: sourceLocation)
  }

  /// A one-line failure, exit 1, nothing on standard output.
  func expectFailure(_ result: ProcessResult, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, "exit status", sourceLocation: sourceLocation)
    #expect(result.stdout == "", sourceLocation: sourceLocation)
    #expect(result.stderr == "Error: \(message)\n", sourceLocation: sourceLocation)
  }

  /// Checks that every column of a rendered table starts at the same display column on every
  /// line — header and rows — counting wide characters as two columns.
  func expectAligned(_ table: [Substring], sourceLocation: SourceLocation = #_sourceLocation) {
    guard table.count > 2 else {
      Issue.record("not a table: \(table)", sourceLocation: sourceLocation)
      return
    }
    let starts = TerminalWidth.columnStarts(ofSeparator: table[1])
    #expect(starts.count > 1, sourceLocation: sourceLocation)
    for line in table where line != table[1] {
      let characters = Array(line)
      let bounds = TerminalWidth.boundaries(of: line)
      for start in starts.dropFirst() where start < bounds.last! {
        guard let index = bounds.firstIndex(of: start) else {
          Issue.record("a wide character straddles column \(start) in \(line)", sourceLocation: sourceLocation)
          continue
        }
        #expect(
          characters[index - 1] == " " && characters[index - 2] == " ", "no gap before column \(start) in \(line)",
          sourceLocation: sourceLocation)
      }
    }
  }

  // MARK: Help

  static let commandPaths: [[String]] = [
    [], ["init"], ["sync"], ["status"], ["log"], ["conflicts"], ["event"], ["event", "add"], ["event", "edit"], ["event", "list"],
    ["event", "show"], ["event", "delete"], ["fund"], ["fund", "add"], ["fund", "list"], ["fund", "balance"], ["fund", "correct"],
    ["note"], ["note", "add"], ["note", "edit"], ["note", "list"], ["note", "show"], ["note", "search"], ["import", "events"],
    ["export", "events"], ["export", "funds"], ["export", "notes"], ["bundle", "export"], ["bundle", "import"],
  ]

  @Test(arguments: commandPaths)
  func everyCommandHasHelp(path: [String]) throws {
    let sandbox = try AgentSandbox()
    let result = try sandbox.run(path + ["--help"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout.hasPrefix("OVERVIEW: "))
    #expect(result.stdout.contains("USAGE: " + (["renkei"] + path).joined(separator: " ")))
    #expect(result.stdout.contains("--dir <path>"))
    #expect(result.stdout.contains("-h, --help"))
  }

  @Test(arguments: ["renkei", "renkei-hub"])
  func versionIsPrintedAndNamedInHelp(binary: String) throws {
    let version = try ProcessRunner.run(binary, ["--version"])
    #expect(version.status == 0 && version.stderr.isEmpty, "\(version.stderr)")
    #expect(version.stdout == "\(binary) \(RenkeiVersion.current)\n")
    #expect(try ProcessRunner.run(binary, ["--help"]).stdout.contains("\(binary) --version prints the version."))
  }

  @Test(arguments: [
    ["status"], ["log"], ["conflicts"], ["event", "add"], ["event", "edit"], ["event", "list"], ["event", "show"], ["fund", "add"],
    ["fund", "list"], ["fund", "balance"], ["fund", "correct"], ["note", "add"], ["note", "edit"], ["note", "list"], ["note", "show"],
    ["note", "search"], ["import", "events"],
  ])
  func commandsThatPrintDataOfferJSON(path: [String]) throws {
    let result = try AgentSandbox().run(path + ["--help"])
    #expect(result.stdout.contains("  --json "), "\(path) --help: \(result.stdout)")
  }

  @Test func theFundLedgerHasNoEditCommandAndSaysWhy() throws {
    let sandbox = try AgentSandbox()
    let help = try sandbox.run(["fund", "--help"])
    #expect(help.stdout.contains("The ledger is append-only: an entry is never edited or deleted, so there is no fund edit."))
    #expect(help.stdout.contains("renkei fund correct ENTRY --amount DIFFERENCE"))
    #expect(!help.stdout.contains("\n  edit "))
    let edit = try sandbox.run(["fund", "edit", "x", "--amount", "1"])
    #expect(edit.status == 64)
    #expect(edit.stderr.hasPrefix("Error: Unknown subcommand 'edit'"))
  }

  // MARK: Replicas

  @Test func initMakesAnOfflineReplicaThatStatusDescribes() throws {
    let sandbox = try AgentSandbox()
    let directory = sandbox.root + "/saitama"
    let created = try sandbox.run([
      "--dir", directory, "init", "--site", "saitama", "--hub", AgentSandbox.hub, "--token-file", sandbox.tokenFile, "--scope", "11",
    ])
    #expect(created.status == 0)
    #expect(created.stderr == "")
    #expect(created.stdout == "created replica saitama (scope 11) in \(directory); the hub confirms it on the first sync\n")

    let status = try sandbox.ok(directory, "status")
    #expect(status.contains("site:          saitama (scope 11, epoch 1)"))
    #expect(status.contains("hub:           \(AgentSandbox.hub)"))
    #expect(status.contains("last sync:     never"))
    #expect(status.contains("to push:       0 changes"))
    struct Status: Decodable {
      var site: String
      var scope: String
      var pending_changes: Int
    }
    let json = try sandbox.json(Status.self, directory, "status", "--json")
    #expect(json.site == "saitama" && json.scope == "11" && json.pending_changes == 0)

    let again = try sandbox.run([
      "--dir", directory, "init", "--site", "saitama", "--hub", AgentSandbox.hub, "--token-file", sandbox.tokenFile, "--scope", "11",
    ])
    expectFailure(again, "\(directory) already holds a replica; choose another --dir")
    let badToken = try sandbox.file("bad.token", "not a token\n")
    let refused = try sandbox.run([
      "--dir", sandbox.root + "/other", "init", "--site", "x", "--hub", AgentSandbox.hub, "--token-file", badToken, "--scope", "11",
    ])
    expectFailure(refused, "\(badToken) does not hold a Renkei token (rk_ and 64 hex digits, as renkei-hub site add printed it)")
    let badScope = try sandbox.run([
      "--dir", sandbox.root + "/other", "init", "--site", "x", "--hub", AgentSandbox.hub, "--token-file", sandbox.tokenFile, "--scope",
      "99",
    ])
    #expect(badScope.status == 64)
  }

  static let commandsNeedingAReplica: [[String]] = [
    ["status"], ["log"], ["conflicts"], ["event", "list"], ["event", "show", "x1"], ["event", "delete", "x1"],
    ["event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-05-30"], ["event", "edit", "x1", "--venue", "甲府"],
    ["fund", "list"], ["fund", "balance"],
    ["fund", "add", "--programme", "P", "--kind", "deposit", "--amount", "1000", "--on", "2023-05-30"],
    ["fund", "correct", "x1", "--amount", "-1000"], ["note", "list"], ["note", "show", "x1"], ["note", "search", "認知"],
    ["note", "add", "--topic", "T", "--held-on", "2023-06-12"], ["note", "edit", "x1", "--topic", "T"],
    ["export", "events", "--csv", "/dev/null"],
    ["bundle", "export", "/dev/null"], ["import", "events", AgentSandbox.eventsCSV],
  ]

  @Test(arguments: commandsNeedingAReplica)
  func aMissingReplicaIsNamedWithTheCommandThatMakesOne(arguments: [String]) throws {
    let sandbox = try AgentSandbox()
    let directory = sandbox.root + "/nothing-here"
    let result = try sandbox.run(["--dir", directory] + arguments)
    expectFailure(
      result,
      "\(directory) holds no Renkei replica; create one with: renkei init --dir \(directory) --site NAME --hub URL --token-file FILE")
    #expect(!FileManager.default.fileExists(atPath: directory), "a failed command creates nothing")
  }

  @Test func aDamagedConfigurationIsNamedInWords() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    try "{".write(toFile: directory + "/agent.json", atomically: true, encoding: .utf8)
    expectFailure(
      try sandbox.run(["--dir", directory, "status"]),
      "\(directory)/agent.json is damaged (it is not valid JSON); restore it from a backup or run renkei init in a new directory")
  }

  /// Files staff name that cannot be written are refused in words, not Foundation's.
  @Test(arguments: [
    (["export", "events", "--csv", "MISSING/events.csv"], "the folder MISSING does not exist"),
    (["export", "events", "--csv", "ROOT"], "it is a folder; give a file name"),
    (["bundle", "export", "MISSING/saitama.bundle"], "the folder MISSING does not exist"),
    (["report", "funds", "--fy", "2023", "--html", "MISSING/funds.html"], "the folder MISSING does not exist"),
  ])
  func aFileThatCannotBeWrittenIsExplained(arguments: [String], reason: String) throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let missing = sandbox.root + "/no-such-folder"
    func fill(_ text: String) -> String {
      text.replacingOccurrences(of: "MISSING", with: missing).replacingOccurrences(of: "ROOT", with: sandbox.root)
    }
    let words = arguments.map(fill)
    let path = words.first { $0.hasPrefix(sandbox.root) }!
    expectFailure(try sandbox.run(["--dir", directory] + words), "cannot write \(path): \(fill(reason))")
  }

  /// A token saved by Notepad carries a byte-order mark, in UTF-8 or UTF-16.
  @Test(arguments: [[0xEF, 0xBB, 0xBF] as [UInt8], [0xFF, 0xFE], [0xFE, 0xFF]])
  func aTokenFileWithAByteOrderMarkIsRead(mark: [UInt8]) throws {
    let sandbox = try AgentSandbox()
    let token = try String(contentsOfFile: sandbox.tokenFile, encoding: .utf8)
    let line = token.trimmingCharacters(in: .newlines) + "\r\n"
    let encoded: Data =
      mark == [0xFF, 0xFE] ? line.data(using: .utf16LittleEndian)! : mark == [0xFE, 0xFF] ? line.data(using: .utf16BigEndian)! : Data(line.utf8)
    let file = sandbox.root + "/notepad.token"
    try (Data(mark) + encoded).write(to: URL(fileURLWithPath: file))
    let directory = sandbox.root + "/saitama"
    let result = try sandbox.run([
      "--dir", directory, "init", "--site", "saitama", "--hub", AgentSandbox.hub, "--token-file", file, "--scope", "11",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try String(contentsOfFile: directory + "/token", encoding: .utf8) == token)
  }

  @Test(arguments: ["afile", "afile/replica"])
  func initIntoAFileSaysItIsAFile(under: String) throws {
    let sandbox = try AgentSandbox()
    let file = try sandbox.file("afile", "x")
    let directory = sandbox.root + "/" + under
    expectFailure(
      try sandbox.run(["--dir", directory, "init", "--site", "saitama", "--hub", AgentSandbox.hub, "--token-file", sandbox.tokenFile, "--scope", "11"]),
      "cannot make the replica folder \(directory): \(file) is a file, not a folder")
  }

  @Test(arguments: ["127.0.0.1:8470", "ftp://hub.example.go.jp", "renkei.example.go.jp"])
  func initNamesTheHubAddressItCannotUse(hub: String) throws {
    let sandbox = try AgentSandbox()
    let result = try sandbox.run(["--dir", sandbox.root + "/r", "init", "--site", "saitama", "--hub", hub, "--token-file", sandbox.tokenFile, "--scope", "11"])
    #expect(result.status != 0)
    #expect(result.stderr.hasPrefix("Error: --hub must be an http:// or https:// URL, such as https://hub.example.go.jp, not \(hub)"), "\(result.stderr)")
  }

  // MARK: Import of the bureaus' events

  /// The fixture's rows as the records `event list --json` must hold: every field, read
  /// straight from the CSV.
  static func fixtureRecords() throws -> [(bureau: String, id: String, scope: String, fields: [String: JSONValue])] {
    let text = try String(contentsOfFile: AgentSandbox.eventsCSV, encoding: .utf8)
    try #require(!text.contains("\""), "the fixture has no quoted cells, so splitting on commas reads it")
    let lines = text.split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    return lines.dropFirst().map { line in
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
      func optional(_ name: String) -> JSONValue { row[name]!.isEmpty ? .null : .string(row[name]!) }
      let scope = row["prefecture"]!.isEmpty ? row["bureau"]! : row["prefecture"]!
      let fields: [String: JSONValue] = [
        "scope": .string(scope), "fiscal_year": .integer(Int64(row["fiscal_year"]!)!), "kind": .string(row["kind"]!),
        "title": .string(row["title"]!), "starts_on": optional("starts_on"), "ends_on": optional("ends_on"), "venue": optional("venue"),
        "co_hosts": .strings(row["co_hosts"]!.split(separator: ";").map(String.init).sorted()), "audience": .null,
        "participants": row["participants"]!.isEmpty ? .null : .integer(Int64(row["participants"]!)!), "status": .string(row["status"]!),
        "notes": .string(""), "source": .string(row["source"]!),
      ]
      return (row["bureau"]!, row["id"]!, scope, fields)
    }
  }

  @Test(arguments: [("kanto-shinetsu", 35, 25), ("tohoku", 25, 35)])
  func importOnlyMineKeepsEveryFieldOfTheReplicasRows(scope: String, imported: Int, skipped: Int) throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("bureau", scope: scope)
    let output = try sandbox.ok(directory, "import", "events", AgentSandbox.eventsCSV, "--only-mine")
    #expect(output == "imported \(imported) events from \(AgentSandbox.eventsCSV); skipped \(skipped) outside scope \(scope)")

    let expected = try Self.fixtureRecords().filter { $0.bureau == scope }
    #expect(expected.count == imported)
    let listed = try sandbox.json([JSONRecord].self, directory, "event", "list", "--json")
    #expect(listed.count == imported)
    let byID = Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0) })
    for row in expected {
      let record = try #require(byID[row.id], "\(row.id) was imported")
      #expect(record.kind == "event" && record.scope == row.scope && !record.deleted && record.localEdits)
      #expect(record.fields == row.fields, "\(row.id)")
    }
    if scope == "tohoku" {
      #expect(byID["th-exchange-2020-10"]?.fields["starts_on"] == .string("2020-10"), "a month-only date stays month-only")
      #expect(byID["th-seminar-2021-01-19"]?.fields["participants"] == .integer(33))
      #expect(byID["th-visit-2020-sendai-shi"]?.fields["starts_on"] == .null)
    } else {
      #expect(byID["ks-seminar-2021-08-04"]?.fields["co_hosts"] == .strings(["東京矯正管区", "関東地方整備局", "関東地方更生保護委員会"].sorted()))
    }
    #expect(try sandbox.ok(directory, "status").contains("to push:       \(imported) changes"))
  }

  @Test func importWithoutOnlyMineRefusesTheWholeFileAtTheFirstForeignRow() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("tohoku", scope: "tohoku")
    let result = try sandbox.run(directory, "import", "events", AgentSandbox.eventsCSV)
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr.hasPrefix("Error: \(AgentSandbox.eventsCSV): line 2: ks-council-2023-05-30 belongs to scope kanto-shinetsu"))
    #expect(result.stderr.hasSuffix("; nothing was imported\n"))
    #expect(try sandbox.json([JSONRecord].self, directory, "event", "list", "--json").isEmpty)
  }

  @Test(arguments: [
    ("seminar", "2023-13-01", "line 3: starts_on: month 13 is not 1–12"),
    (
      "party", "2023-06-01",
      "line 3: kind: \"party\" is not one of council, subcommittee, seminar, case-study, exchange, training, hearing, visit, liaison, headquarters-meeting, other"
    ),
  ])
  func aBadRowInTheMiddleImportsNothingAndNamesItsLine(kind: String, date: String, message: String) throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let header = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\n"
    let csv = try sandbox.file(
      "events.csv",
      header + "e-1,kanto-shinetsu,11,2023,seminar,認知症研修,2023-06-01,,さいたま市,,40,held,test\n"
        + "e-2,kanto-shinetsu,11,2023,\(kind),在宅医療研修,\(date),,,,,planned,test\n"
        + "e-3,kanto-shinetsu,11,2023,council,協議会,2023-07-01,,,,,planned,test\n")
    let result = try sandbox.run(directory, "import", "events", csv)
    expectFailure(result, "\(csv): \(message); nothing was imported")
    #expect(try sandbox.json([JSONRecord].self, directory, "event", "list", "--json").isEmpty)
    #expect(try sandbox.ok(directory, "status").contains("to push:       0 changes"))
  }

  // MARK: Events

  @Test func eventListPrintsAnAlignedTableOfTheSchedule() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("kanto", scope: "kanto-shinetsu")
    try sandbox.ok(directory, "import", "events", AgentSandbox.eventsCSV, "--only-mine")
    let output = try sandbox.ok(directory, "event", "list")
    let lines = output.split(separator: "\n")
    #expect(lines.count == 2 + 35 + 1)
    #expect(lines.last == "35 events")
    let table = Array(lines.dropLast())
    // The region's file holds the bureau's events and some of its prefectures': each row says whose.
    #expect(table[0].hasPrefix("日付        区分            種別"))
    expectAligned(table)

    // Every row's id starts at the id column's display column, whatever wide text precedes it.
    let idColumn = try #require(TerminalWidth.columnStarts(ofSeparator: table[1]).last)
    let listed = try sandbox.json([JSONRecord].self, directory, "event", "list", "--json")
    for record in listed {
      let row = try #require(table.first { $0.hasSuffix(record.id) }, "a row for \(record.id)")
      let prefix = row[..<row.range(of: record.id)!.lowerBound]
      #expect(TerminalWidth.of(prefix) == idColumn, "\(row)")
      #expect(prefix.contains(where: { TerminalWidth.of(String($0)) == 2 }), "the row holds wide characters")
    }
    // By fiscal year and date: the first row is the earliest event.
    #expect(table[2].hasPrefix("2016-07-19  関東信越厚生局  seminar       高齢者の健康づくりとフレイルのすすめ"))

    let held2019 = try sandbox.ok(directory, "event", "list", "--fy", "令和元年度", "--status", "held", "--kind", "seminar")
    #expect(held2019.hasSuffix("  ks-seminar-2019-06-03\n1 event in FY2019 / 令和元年度 of kind seminar with status held"))
    expectAligned(Array(held2019.split(separator: "\n").dropLast()))
    #expect(try sandbox.ok(directory, "event", "list", "--fy", "FY2030") == "no events in FY2030 / 令和12年度")
  }

  @Test(arguments: [
    ("2023-05-30", "2023-05-30"), ("令和5年5月30日", "2023-05-30"), ("R5.5.30", "2023-05-30"), ("2023/5/30", "2023-05-30"),
    ("２０２３－０５－３０", "2023-05-30"), ("2023-05", "2023-05"), ("令和5年5月", "2023-05"),
  ])
  func eventDatesAreTypedInEveryFormAndStoredInISO(typed: String, stored: String) throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let id = try sandbox.ok(directory, "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", typed)
    let record = try sandbox.json(JSONRecord.self, directory, "event", "show", id, "--json")
    #expect(record.fields["starts_on"] == .string(stored))
    #expect(record.fields["fiscal_year"] == .integer(2023))
  }

  @Test func anEventIsAddedShownEditedListedAndDeleted() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let id = try sandbox.ok(
      directory, "event", "add", "--title", "認知症初期集中支援チーム研修", "--kind", "training", "--starts-on", "R5.7.12", "--ends-on",
      "2023-07-13", "--venue", "さいたま市民会館", "--co-host", "埼玉県", "--co-host", "さいたま市", "--participants", "48")
    #expect(id.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", options: .regularExpression) != nil, "\(id)")

    let shown = try sandbox.ok(directory, "event", "show", id)
    let expectedLines = [
      "id            \(id)", "title         認知症初期集中支援チーム研修", "kind          training", "status        planned",
      "starts-on     2023-07-12 (令和5年7月12日)", "ends-on       2023-07-13 (令和5年7月13日)", "fiscal year   FY2023 / 令和5年度",
      "venue         さいたま市民会館", "co-hosts      さいたま市, 埼玉県", "participants  48", "scope         11 埼玉県",
    ]
    #expect(Array(shown.split(separator: "\n").prefix(expectedLines.count)) == expectedLines.map { $0[...] })
    #expect(shown.contains("\nlast change   "))
    #expect(shown.hasSuffix("\nsync          local edits wait to be pushed (renkei sync)"))

    let edited = try sandbox.ok(
      directory, "event", "edit", id, "--venue", "浦和コミュニティセンター", "--participants", "52", "--notes", "講師: 厚生局\n資料は事前配布\n")
    #expect(edited == "edited event \(id): notes, participants, venue")
    let notes = try sandbox.ok(directory, "event", "show", id)
    #expect(notes.contains("\nnotes         講師: 厚生局\n              資料は事前配布\n"))
    #expect(
      try sandbox.ok(directory, "event", "edit", id, "--venue", "浦和コミュニティセンター") == "no change: event \(id) already holds these values")
    let unchanged = try sandbox.json(JSONRecord.self, directory, "event", "edit", id, "--venue", "浦和コミュニティセンター", "--json")
    #expect(
      unchanged.id == id && unchanged.fields["venue"] == .string("浦和コミュニティセンター"), "--json prints the record even when nothing changed")

    // A new date in another fiscal year moves the event there.
    #expect(
      try sandbox.ok(directory, "event", "edit", id, "--starts-on", "2024-05", "--ends-on", "")
        == "edited event \(id): ends-on, fiscal year, starts-on")
    let moved = try sandbox.json(JSONRecord.self, directory, "event", "edit", id, "--status", "held", "--json")
    #expect(
      moved.fields["starts_on"] == .string("2024-05") && moved.fields["ends_on"] == .null && moved.fields["fiscal_year"] == .integer(2024))
    #expect(moved.fields["status"] == .string("held") && moved.fields["notes"] == .string("講師: 厚生局\n資料は事前配布\n"))
    #expect(moved.fields["co_hosts"] == .strings(["さいたま市", "埼玉県"]))

    #expect(try sandbox.ok(directory, "event", "list", "--fy", "R5") == "no events in FY2023 / 令和5年度")
    let listed = try sandbox.ok(directory, "event", "list", "--fy", "2024")
    #expect(listed.hasSuffix("\n1 event in FY2024 / 令和6年度"))
    #expect(listed.contains("\n2024-05  training  認知症初期集中支援チーム研修  浦和コミュニティセンター  held  "))
    expectAligned(Array(listed.split(separator: "\n").dropLast()))

    #expect(
      try sandbox.ok(directory, "event", "delete", id)
        == "deleted event \(id) (認知症初期集中支援チーム研修); the deletion reaches the hub on the next sync")
    #expect(
      try sandbox.ok(directory, "event", "list")
        == "no events on this replica yet; add one with: renkei event add --title TEXT --kind KIND --starts-on DATE")
    #expect(try sandbox.ok(directory, "event", "show", id).contains("\ndeleted       yes (a tombstone that syncs)\n"))
    expectFailure(try sandbox.run(directory, "event", "delete", id), "event \(id) was deleted")
    expectFailure(try sandbox.run(directory, "event", "edit", id, "--venue", "甲府"), "event \(id) was deleted")

    let log = try sandbox.ok(directory, "log", id)
    #expect(
      log.split(separator: "\n").filter { $0.contains("[not yet pushed]") }.count == 5, "add, three edits that changed something, delete")
    #expect(log.contains(" create ") && log.contains(" delete"))
  }

  @Test func anUndatedEventNeedsItsFiscalYear() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    expectUsageError(
      try sandbox.run(directory, "event", "add", "--title", "市町村訪問", "--kind", "visit"),
      "give --starts-on, or --fy when the date is not known yet", command: "renkei event add")
    let id = try sandbox.ok(directory, "event", "add", "--title", "市町村訪問", "--kind", "visit", "--fy", "令和2年度")
    let record = try sandbox.json(JSONRecord.self, directory, "event", "show", id, "--json")
    #expect(record.fields["fiscal_year"] == .integer(2020) && record.fields["starts_on"] == .null)
    let undated = try sandbox.ok(directory, "event", "list").split(separator: "\n")
    #expect(undated[2].hasPrefix("未定  visit  市町村訪問"), "an undated event shows 未定 in the date column")
    expectAligned(Array(undated.dropLast()))
  }

  @Test func eventErrorsSayWhatIsWrong() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let unknown = "0c6f0a9e-5b8e-4f57-9d6f-2f1b8a2d8c11"
    expectFailure(try sandbox.run(directory, "event", "show", unknown), "no event with id \(unknown)")
    expectFailure(try sandbox.run(directory, "event", "edit", unknown, "--venue", "甲府"), "no event with id \(unknown)")
    expectFailure(try sandbox.run(directory, "event", "delete", unknown), "no event with id \(unknown)")
    expectUsageError(
      try sandbox.run(directory, "event", "show", "Not An Id"),
      "\"Not An Id\" is not a record id: ids are lowercase letters, digits and '-', as list prints them", command: "renkei event show")

    let add = ["event", "add", "--title", "研修", "--kind", "training"]
    expectUsageError(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "令和5年2月30日"]),
      "--starts-on: \"令和5年2月30日\" is not a date: 2023-02 has no day 30", command: "renkei event add")
    expectUsageError(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "23-05-30"]),
      "--starts-on: \"23-05-30\" is not a date: the year must have four digits (2023-05-30), or an era (R5.5.30, 令和5年5月30日)",
      command: "renkei event add")
    expectUsageError(
      try sandbox.run(["--dir", directory] + add + ["--fy", "平成32年度"]),
      "--fy: \"平成32年度\" is not a fiscal year: 平成 ended on 2019-04-30, before 平成32年度 would have begun: FY2020 is 令和2年度",
      command: "renkei event add")
    expectUsageError(
      try sandbox.run(directory, "event", "add", "--title", "研修", "--kind", "semnar", "--starts-on", "2023-05-30"),
      "--kind: \"semnar\" is not an event kind; use one of council, subcommittee, seminar, case-study, exchange, training, hearing, visit, liaison, headquarters-meeting, other",
      command: "renkei event add")
    expectUsageError(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "2023-05-30", "--status", "done"]),
      "--status: \"done\" is not an event status; use one of planned, held, postponed, cancelled", command: "renkei event add")
    expectUsageError(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "2023-05-30", "--participants", "many"]),
      "--participants: \"many\" is not a count: write a whole number such as 48", command: "renkei event add")
    expectUsageError(
      try sandbox.run(directory, "event", "add", "--kind", "training"), "Missing expected argument '--title <text>'",
      command: "renkei event add")
    expectUsageError(
      try sandbox.run(directory, "event", "list", "--kind", "party"),
      "--kind: \"party\" is not an event kind; use one of council, subcommittee, seminar, case-study, exchange, training, hearing, visit, liaison, headquarters-meeting, other",
      command: "renkei event list")

    // Readable values that break a rule of the records: exit 1, nothing saved.
    expectFailure(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "2023-05-30", "--ends-on", "2023-05-01"]),
      "the event was not saved: ends_on: 2023-05-01 is before starts_on 2023-05-30")
    expectFailure(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "2023-05-30", "--scope", "19"]),
      "the event was not saved: scope 19 is outside this replica's scope 11")
    expectFailure(
      try sandbox.run(["--dir", directory] + add + ["--starts-on", "2023-05-30", "--fy", "2022"]),
      "the event was not saved: fiscal_year: 2022 disagrees with starts_on 2023-05-30, which falls in FY2023 / 令和5年度 (April–March)")
    let id = try sandbox.ok(directory, "event", "add", "--title", "研修", "--kind", "TRAINING", "--starts-on", "2023-05-30")
    expectUsageError(
      try sandbox.run(directory, "event", "edit", id), "say what to change, e.g. --venue さいたま市民会館", command: "renkei event edit")
    let note = try sandbox.ok(directory, "note", "add", "--topic", "ヒアリング", "--held-on", "2023-06-12")
    expectFailure(
      try sandbox.run(directory, "event", "show", note), "no event with id \(note): it is a note (see renkei note show \(note))")
    #expect(try sandbox.json([JSONRecord].self, directory, "event", "list", "--json").map(\.id) == [id])
  }

  // MARK: Fund ledger

  @Test(arguments: [
    ("12,000,000", Int64(12_000_000)), ("12000000円", 12_000_000), ("1200万", 12_000_000), ("1.0億", 100_000_000), ("１億２０００万円", 120_000_000),
    ("¥5,000", 5_000),
  ])
  func fundAmountsAreTypedAsStaffWriteThem(typed: String, yen: Int64) throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let id = try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "initial-decision", "--amount", typed, "--on", "令和5年5月30日")
    let entries = try sandbox.json([JSONRecord].self, directory, "fund", "list", "--json")
    #expect(entries.map(\.id) == [id])
    #expect(entries.first?.fields["amount"] == .integer(yen))
    #expect(entries.first?.fields["occurred_on"] == .string("2023-05-30"))
  }

  @Test func theLedgerIsAddedListedBalancedAndCorrectedNeverEdited() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let decision = try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "initial-decision", "--amount", "1.2億", "--on", "2023-05-30",
      "--memo", "埼玉県指令第1号")
    let execution = try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "execution", "--amount", "3,000万", "--on", "R5.9.1")
    let refund = try sandbox.json(
      JSONRecord.self, directory, "fund", "add", "--programme", Self.programme, "--kind", "execution", "--amount", "▲100万", "--on",
      "R5.10.1", "--json")
    #expect(refund.fields["amount"] == .integer(-1_000_000) && refund.fields["kind"] == .string("execution"))
    let deposit = try sandbox.ok(
      directory, "fund", "add", "--programme", "介護従事者確保分", "--kind", "deposit", "--amount", "500万", "--on", "2024-04-02", "--fy", "R5")

    let list = try sandbox.ok(directory, "fund", "list")
    let lines = list.split(separator: "\n")
    #expect(lines.last == "4 entries")
    #expect(
      lines[0]
        == "日付        年度                事業                                          種別             金額  ID                                    摘要"
    )
    expectAligned(Array(lines.dropLast()))
    #expect(lines[2].hasPrefix("2023-05-30  FY2023 / 令和5年度  \(Self.programme)  交付決定  120,000,000  \(decision)  埼玉県指令第1号"))
    #expect(lines[5].hasPrefix("2024-04-02  FY2023 / 令和5年度  介護従事者確保分                              積立        5,000,000  \(deposit)"))
    #expect(try sandbox.ok(directory, "fund", "list", "--programme", "従事者").hasSuffix("\n1 entry of programmes matching 従事者"))
    #expect(try sandbox.ok(directory, "fund", "list", "--fy", "2024") == "no fund entries in FY2024 / 令和6年度")

    let corrected = try sandbox.run(
      directory, "fund", "correct", decision, "--amount", "-2,000,000", "--memo", "変更交付決定の誤記", "--on", "2023-06-01")
    #expect(corrected.status == 0 && corrected.stderr == "")
    let correction = try #require(
      corrected.stdout.split(separator: " ").dropFirst(8).first.map(String.init)?.replacingOccurrences(of: ";", with: ""))
    #expect(
      corrected.stdout
        == "corrected fund entry \(decision) by -2,000,000円 with correction \(correction); it now counts 118,000,000円 (was 120,000,000円) in \(Self.programme), FY2023 / 令和5年度\n"
    )
    let again = try sandbox.json(
      JSONRecord.self, directory, "fund", "correct", correction, "--amount", "50万", "--on", "2023-06-02", "--json")
    #expect(again.fields["kind"] == .string("correction") && again.fields["corrects"] == .string(correction))
    #expect(again.fields["amount"] == .integer(500_000) && again.fields["fiscal_year"] == .integer(2023))

    // The original entry is untouched: corrections are entries of their own.
    let entries = try sandbox.json([JSONRecord].self, directory, "fund", "list", "--json")
    #expect(entries.count == 6)
    #expect(entries.first { $0.id == decision }?.fields["amount"] == .integer(120_000_000))
    #expect(try sandbox.ok(directory, "fund", "list").contains("訂正対象"))

    struct Balance: Decodable {
      struct Line: Decodable {
        var id: String
        var effective_amount: Int64
        var corrections: [Correction]
      }
      struct Correction: Decodable { var id: String }
      var programme: String
      var fiscal_year: Int
      var fiscal_year_name: String
      var decided: Int64
      var executed: Int64
      var deposited: Int64
      var balance: Int64
      var lines: [Line]
    }
    let balances = try sandbox.json([Balance].self, directory, "fund", "balance", "--fy", "令和5年度", "--json")
    #expect(balances.map(\.programme) == ["介護従事者確保分", Self.programme])
    let facilities = try #require(balances.last)
    #expect(facilities.fiscal_year == 2023 && facilities.fiscal_year_name == "令和5年度")
    #expect(facilities.decided == 118_500_000 && facilities.executed == 29_000_000 && facilities.balance == 89_500_000)
    #expect(facilities.lines.map(\.id) == [decision, execution, refund.id])
    #expect(facilities.lines.first?.corrections.map(\.id) == [correction, again.id])
    #expect(balances.first?.balance == 5_000_000)

    let human = try sandbox.ok(directory, "fund", "balance")
    let summary = human.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
    #expect(summary.count == 4)
    expectAligned(Array(summary))
    #expect(summary[3].hasPrefix("11 埼玉県  FY2023 / 令和5年度  \(Self.programme)  118,500,000"))
    #expect(summary[3].hasSuffix("29,000,000  89,500,000"))
    #expect(human.contains("\n11 埼玉県  FY2023 / 令和5年度  \(Self.programme)  残高 89,500,000円\n"))
    #expect(human.contains("  └ 訂正   -2,000,000"))
    #expect(try sandbox.ok(directory, "fund", "balance", "--fy", "R10") == "no fund entries in FY2028 / 令和10年度")
  }

  @Test func fundErrorsSayWhatIsWrong() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let add = ["--dir", directory, "fund", "add", "--programme", Self.programme, "--on", "2023-05-30"]
    expectUsageError(
      try sandbox.run(add + ["--kind", "deposit", "--amount", "1,20,000"]),
      "--amount: \"1,20,000\" is not an amount: 1,20,000 has misplaced thousands separators: they go every three digits (120,000 or 1,200,000)",
      command: "renkei fund add")
    expectUsageError(
      try sandbox.run(add + ["--kind", "deposit", "--amount", "1.000"]),
      "--amount: \"1.000\" is not an amount: a decimal point needs a unit (1.000万, 1.000億): yen have no fractions; for thousands write 1,000",
      command: "renkei fund add")
    expectUsageError(
      try sandbox.run(add + ["--kind", "deposit", "--amount", "-500,000"]),
      "--amount: \"-500,000\" is not an amount: it is negative, and a negative amount is not allowed here (deposit entries are never negative; to lower an entry, add a correction with renkei fund correct)",
      command: "renkei fund add")
    expectUsageError(
      try sandbox.run(add + ["--kind", "grant", "--amount", "1000"]),
      "--kind: \"grant\" is not a fund entry kind; use one of initial-decision, amended-decision, final-determination, deposit, execution, interest, balance-survey",
      command: "renkei fund add")
    expectUsageError(
      try sandbox.run(add + ["--kind", "correction", "--amount", "1000"]),
      "--kind correction: a correction names the entry it corrects; use renkei fund correct ENTRY --amount DIFFERENCE",
      command: "renkei fund add")
    expectUsageError(
      try sandbox.run(directory, "fund", "add", "--programme", "P", "--kind", "deposit", "--amount", "1000", "--on", "R5.13.1"),
      "--on: \"R5.13.1\" is not a date: month 13 is not 1–12", command: "renkei fund add")
    expectUsageError(
      try sandbox.run(directory, "fund", "add", "--programme", "P", "--kind", "deposit", "--amount", "1000"),
      "Missing expected argument '--on <date>'", command: "renkei fund add")
    expectFailure(
      try sandbox.run(add + ["--kind", "deposit", "--amount", "2兆"]),
      "the fund entry was not saved: amount: 2000000000000 yen is beyond ±1,000,000,000,000")

    let unknown = "5d0f1f0e-2c6b-4c59-8d8e-5b2b1c0e9f00"
    expectFailure(
      try sandbox.run(directory, "fund", "correct", unknown, "--amount", "-1000", "--on", "2023-06-01"), "no fund entry with id \(unknown)")
    let entry = try sandbox.ok(directory, "fund", "add", "--programme", "P", "--kind", "deposit", "--amount", "1000", "--on", "2023-05-30")
    expectUsageError(
      try sandbox.run(directory, "fund", "correct", entry, "--amount", "0", "--on", "2023-06-01"),
      "--amount: a correction of 0 yen changes nothing",
      command: "renkei fund correct")
    expectUsageError(
      try sandbox.run(directory, "fund", "correct", entry, "--amount", "1.5", "--on", "2023-06-01"),
      "--amount: \"1.5\" is not an amount: a decimal point needs a unit (1.5万, 1.5億): yen have no fractions", command: "renkei fund correct"
    )
    expectFailure(
      try sandbox.run(directory, "fund", "correct", entry, "--amount", "-1000", "--on", "2030-06-01"),
      "the correction of fund entry \(entry) was not saved: fiscal_year: FY2023 / 令和5年度 is too far from occurred_on 2030-06-01 (FY2030 / 令和12年度)"
    )
    let event = try sandbox.ok(directory, "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-05-30")
    expectFailure(
      try sandbox.run(directory, "fund", "correct", event, "--amount", "-1000"),
      "no fund entry with id \(event): it is an event (see renkei event show \(event))")
    #expect(try sandbox.json([JSONRecord].self, directory, "fund", "list", "--json").map(\.id) == [entry])

    // A year whose final determination is recorded is closed: nothing more is written into it.
    let closed = try sandbox.replica("closed", scope: "11")
    let decision = try sandbox.ok(
      closed, "fund", "add", "--programme", "P", "--kind", "initial-decision", "--amount", "100万", "--on", "2023-05-30")
    let final = try sandbox.ok(
      closed, "fund", "add", "--programme", "P", "--kind", "final-determination", "--amount", "0", "--on", "2024-06-01", "--fy", "2023")
    let refusal = "FY2023 / 令和5年度 of 11 埼玉県 is closed: final determination \(final) is recorded; ask the bureau administrator"
    expectFailure(
      try sandbox.run(closed, "fund", "add", "--programme", "P", "--kind", "deposit", "--amount", "1000", "--on", "2023-06-01"),
      "the fund entry was not saved: \(refusal)")
    expectFailure(
      try sandbox.run(closed, "fund", "correct", decision, "--amount", "-1000", "--on", "2023-07-01"),
      "the correction of fund entry \(decision) was not saved: \(refusal)")
    #expect(try sandbox.json([JSONRecord].self, closed, "fund", "list", "--json").count == 2)
  }

  // MARK: Hearing notes

  /// A note with a body file, as `note add` takes it; returns its id.
  func addNote(_ sandbox: AgentSandbox, _ directory: String, topic: String, body: String, heldOn: String = "2023-06-12") throws -> String {
    let file = try sandbox.file("body-\(UUID().uuidString).txt", body)
    return try sandbox.ok(directory, "note", "add", "--topic", topic, "--held-on", heldOn, "--body-file", file)
  }

  @Test func notesAreAddedListedShownAndSearched() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let bodyFile = try sandbox.file("body.txt", "\u{FEFF}認知症初期集中支援チームの活動状況を聴取。\n次回は11月。\n")
    let dementia = try sandbox.ok(
      directory, "note", "add", "--topic", "認知症施策の進捗ヒアリング", "--held-on", "令和5年6月12日", "--attendee", "田中", "--attendee", "Suzuki",
      "--body-file", bodyFile, "--follow-ups", "資料を送付する", "--status", "final")
    let seminar = try sandbox.json(
      JSONRecord.self, directory, "note", "add", "--topic", "Seminar debrief", "--held-on", "2023-07", "--json")
    #expect(
      seminar.fields["status"] == .string("draft") && seminar.fields["body"] == .string("")
        && seminar.fields["fiscal_year"] == .integer(2023))
    let housing = try addNote(sandbox, directory, topic: "住まい確保の支援", body: "居住支援協議会の設立\n", heldOn: "2022-11-02")

    let record = try sandbox.json(JSONRecord.self, directory, "note", "show", dementia, "--json")
    #expect(record.fields["body"] == .string("認知症初期集中支援チームの活動状況を聴取。\n次回は11月。\n"), "kept as written, without the BOM")
    #expect(record.fields["attendees"] == .strings(["Suzuki", "田中"]) && record.fields["held_on"] == .string("2023-06-12"))
    #expect(record.fields["follow_ups"] == .string("資料を送付する") && record.fields["status"] == .string("final"))

    let shown = try sandbox.ok(directory, "note", "show", dementia)
    #expect(
      shown.hasPrefix(
        """
        id           \(dementia)
        topic        認知症施策の進捗ヒアリング
        held-on      2023-06-12 (令和5年6月12日)
        fiscal year  FY2023 / 令和5年度
        status       final
        attendees    Suzuki、田中
        scope        11 埼玉県
        follow-ups   資料を送付する
        body         認知症初期集中支援チームの活動状況を聴取。
                     次回は11月。
        last change  
        """.trimmingCharacters(in: .whitespaces)))

    let list = try sandbox.ok(directory, "note", "list")
    let lines = list.split(separator: "\n")
    #expect(lines.last == "3 notes")
    expectAligned(Array(lines.dropLast()))
    #expect(lines[2].hasPrefix("2023-07     draft  Seminar debrief") && lines[2].hasSuffix(seminar.id), "most recently held first")
    #expect(lines[3].hasPrefix("2023-06-12  final  認知症施策の進捗ヒアリング  Suzuki、田中") && lines[3].hasSuffix(dementia))
    #expect(lines[4].hasSuffix(housing))
    #expect(try sandbox.ok(directory, "note", "list", "--fy", "R4").hasSuffix("\n1 note in FY2022 / 令和4年度"))
    #expect(try sandbox.json([JSONRecord].self, directory, "note", "list", "--status", "final", "--json").map(\.id) == [dementia])

    let found = try sandbox.ok(directory, "note", "search", "認知")
    #expect(found.hasSuffix("\n1 note matching 認知") && found.contains(dementia) && !found.contains(seminar.id))
    #expect(try sandbox.json([JSONRecord].self, directory, "note", "search", "SEMINAR", "--json").map(\.id) == [seminar.id])
    #expect(try sandbox.json([JSONRecord].self, directory, "note", "search", "debrief", "seminar", "--json").map(\.id) == [seminar.id])
    #expect(try sandbox.json([JSONRecord].self, directory, "note", "search", "居住支援", "--json").map(\.id) == [housing])
    #expect(try sandbox.json([JSONRecord].self, directory, "note", "search", "認知", "住まい", "--json").isEmpty)
    #expect(try sandbox.ok(directory, "note", "search", "介護保険") == "no hearing notes match 介護保険")
    expectUsageError(try sandbox.run(directory, "note", "search"), "Missing expected argument '<words>'", command: "renkei note search")
  }

  @Test func aNoteIsEditedWithOptionsAndBodyFiles() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let id = try addNote(sandbox, directory, topic: "介護人材確保のヒアリング", body: "一行目\n")
    let newBody = try sandbox.file("new.txt", "一行目\n二行目（追記）\n")
    #expect(try sandbox.ok(directory, "note", "edit", id, "--body-file", newBody) == "edited note \(id): body")
    #expect(
      try sandbox.ok(
        directory, "note", "edit", id, "--topic", "介護人材確保ヒアリング", "--attendee", "佐藤", "--status", "final", "--held-on", "2024-04-10")
        == "edited note \(id): attendee, fiscal year, held-on, status, topic")
    let record = try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json")
    #expect(record.fields["body"] == .string("一行目\n二行目（追記）\n") && record.fields["attendees"] == .strings(["佐藤"]))
    #expect(record.fields["fiscal_year"] == .integer(2024) && record.fields["status"] == .string("final"))
    #expect(try sandbox.ok(directory, "note", "edit", id, "--body-file", newBody) == "no change: note \(id) already holds these values")

    let piped = try sandbox.run(["--dir", directory, "note", "edit", id, "--body-file", "-"], input: Data("標準入力から\n".utf8))
    #expect(piped.status == 0 && piped.stdout == "edited note \(id): body\n")

    let unknown = "6a1c0c4e-3f7b-4a8e-9d1e-0f2a3b4c5d6e"
    expectFailure(try sandbox.run(directory, "note", "show", unknown), "no note with id \(unknown)")
    expectFailure(try sandbox.run(directory, "note", "edit", unknown, "--topic", "x"), "no note with id \(unknown)")
    expectFailure(
      try sandbox.run(directory, "note", "edit", id, "--body-file", sandbox.root + "/missing.txt"),
      "cannot read \(sandbox.root)/missing.txt")
    expectUsageError(
      try sandbox.run(directory, "note", "edit", id, "--held-on", "2023年13月"),
      "--held-on: \"2023年13月\" is not a date: month 13 is not 1–12",
      command: "renkei note edit")
    expectUsageError(
      try sandbox.run(directory, "note", "edit", id, "--status", "done"),
      "--status: \"done\" is not a note status; use one of draft, final",
      command: "renkei note edit")
    expectUsageError(
      try sandbox.run(directory, "note", "add", "--topic", "x"), "Missing expected argument '--held-on <date>'", command: "renkei note add")
  }

  @Test func noteEditOpensTheEditorAndWritesOnlyAChangedBody() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let id = try addNote(sandbox, directory, topic: "認知症施策", body: "古い本文\n")
    let changes = { try sandbox.ok(directory, "log", id).split(separator: "\n").filter { $0.contains("[not yet pushed]") }.count }
    #expect(try changes() == 1)

    // The editor sees the current body in a .txt file of its own.
    let seen = sandbox.root + "/seen.txt"
    let rewrite = try sandbox.script("rewrite.sh", "cp \"$1\" '\(seen)'\nprintf '新しい本文\\n' > \"$1\"")
    #expect(try sandbox.ok(directory, "note", "edit", id, environment: ["EDITOR": rewrite]) == "edited note \(id): body")
    #expect(try String(contentsOfFile: seen, encoding: .utf8) == "古い本文\n")
    #expect(try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] == .string("新しい本文\n"))
    #expect(try changes() == 2)

    // Saving without a change, or quitting, writes nothing.
    let untouched = try sandbox.script("untouched.sh", "touch \"$1\"")
    #expect(
      try sandbox.ok(directory, "note", "edit", id, environment: ["EDITOR": untouched])
        == "no change: note \(id) has the same body as before; nothing written")
    #expect(try changes() == 2)

    // An editor given with arguments, as EDITOR often is.
    let withArguments = try sandbox.script("append.sh", "printf '%s\\n' \"$1\" > /dev/null; printf '%s' \"$2\" >> \"$3\"")
    let appended = try sandbox.run(directory, "note", "edit", id, environment: ["EDITOR": "\(withArguments) --append '追記\n'"])
    #expect(appended.status == 0 && appended.stdout == "edited note \(id): body\n", "\(appended.stderr)")
    #expect(try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] == .string("新しい本文\n追記\n"))

    // An editor that fails writes nothing; what was typed is kept in a file named in the error.
    let failing = try sandbox.script("failing.sh", "printf '途中まで書いた本文\\n' > \"$1\"\nexit 3")
    let failed = try sandbox.run(directory, "note", "edit", id, environment: ["EDITOR": failing])
    #expect(failed.status == 1 && failed.stdout == "")
    #expect(failed.stderr.hasPrefix("Error: the editor (\(failing)) exited with status 3; nothing was written. Your text is kept in "))
    let kept = try #require(failed.stderr.split(separator: " ").first { $0.hasSuffix(".txt;") }.map { String($0.dropLast()) })
    #expect(try String(contentsOfFile: kept, encoding: .utf8) == "途中まで書いた本文\n")
    #expect(failed.stderr.hasSuffix("to store it run: renkei --dir \(directory) note edit \(id) --body-file \(kept)\n"))
    #expect(try sandbox.ok(directory, "note", "edit", id, "--body-file", kept) == "edited note \(id): body")
    try? FileManager.default.removeItem(atPath: (kept as NSString).deletingLastPathComponent)

    let quitting = try sandbox.script("quitting.sh", "exit 1")
    let quit = try sandbox.run(directory, "note", "edit", id, environment: ["EDITOR": quitting])
    expectFailure(quit, "the editor (\(quitting)) exited with status 1; nothing was written")
    #expect(try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] == .string("途中まで書いた本文\n"))
  }

  @Test func anEditMadeWhileTheEditorIsOpenIsMergedNeverLost() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let renkei = BinaryLocation.url(of: "renkei").path
    let id = try addNote(sandbox, directory, topic: "在宅医療", body: "一行目\n二行目\n三行目\n")

    // While the editor is open, another edit changes the last line; the editor changes the first.
    let theirs = try sandbox.file("theirs.txt", "一行目\n二行目\n三行目（別の編集）\n")
    let merging = try sandbox.script(
      "merging.sh",
      "'\(renkei)' --dir '\(directory)' note edit \(id) --body-file '\(theirs)' > /dev/null || exit 9\nprintf '一行目（編集）\\n二行目\\n三行目\\n' > \"$1\""
    )
    let merged = try sandbox.run(directory, "note", "edit", id, environment: ["EDITOR": merging])
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(
      merged.stdout == "merged your edit with the changes made to the body of note \(id) while you edited it\nedited note \(id): body\n")
    #expect(
      try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] == .string("一行目（編集）\n二行目\n三行目（別の編集）\n"))

    // Both change the same line: nothing is written over the other edit, and the text typed is kept.
    let other = try sandbox.file("other.txt", "一行目（他の人）\n二行目\n三行目（別の編集）\n")
    let clashing = try sandbox.script(
      "clashing.sh",
      "'\(renkei)' --dir '\(directory)' note edit \(id) --body-file '\(other)' > /dev/null || exit 9\nprintf '一行目（私）\\n二行目\\n三行目（別の編集）\\n' > \"$1\""
    )
    let clash = try sandbox.run(directory, "note", "edit", id, environment: ["EDITOR": clashing])
    #expect(clash.status == 1 && clash.stdout == "")
    #expect(
      clash.stderr.hasPrefix(
        "Error: the body of note \(id) was changed on this replica while you edited it (by a sync or another edit), and the changes overlap; nothing was written. Your text is kept in "
      ))
    let kept = try #require(clash.stderr.split(separator: " ").first { $0.hasSuffix(".txt;") }.map { String($0.dropLast()) })
    #expect(try String(contentsOfFile: kept, encoding: .utf8) == "一行目（私）\n二行目\n三行目（別の編集）\n")
    #expect(
      try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] == .string("一行目（他の人）\n二行目\n三行目（別の編集）\n"))
    try? FileManager.default.removeItem(atPath: (kept as NSString).deletingLastPathComponent)
  }

  // MARK: Export, log, conflicts, bundles

  @Test func exportsWriteCSVAndForExcelABOMAndCRLF() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("kanto", scope: "kanto-shinetsu")
    try sandbox.ok(directory, "import", "events", AgentSandbox.eventsCSV, "--only-mine")
    try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "deposit", "--amount", "1200万", "--on", "2023-05-30", "--memo",
      "積立, 第1回")
    _ = try addNote(sandbox, directory, topic: "ヒアリング", body: "一行目\n二行目\n")

    let plain = sandbox.root + "/events.csv"
    #expect(try sandbox.ok(directory, "export", "events", "--csv", plain) == "wrote 35 events to \(plain)")
    let plainData = try Data(contentsOf: URL(fileURLWithPath: plain))
    #expect(!plainData.starts(with: [0xEF, 0xBB, 0xBF]))
    let plainText = String(decoding: plainData, as: UTF8.self)
    #expect(
      plainText.hasPrefix("id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\n"))
    #expect(!plainText.contains("\r"))
    #expect(plainText.contains("\nks-seminar-2021-08-04,kanto-shinetsu,,2021,seminar,"))

    let excel = sandbox.root + "/events-excel.csv"
    #expect(try sandbox.ok(directory, "export", "events", "--csv", excel, "--excel") == "wrote 35 events to \(excel)")
    let excelData = try Data(contentsOf: URL(fileURLWithPath: excel))
    #expect(excelData.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark first")
    let excelText = String(decoding: excelData.dropFirst(3), as: UTF8.self)
    let crlf = excelText.components(separatedBy: "\r\n")
    #expect(crlf.count == 37 && crlf.last == "", "36 lines, each ending in CRLF")
    #expect(crlf.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
    #expect(excelText.replacingOccurrences(of: "\r\n", with: "\n") == plainText)

    // An export imports back, every row.
    let copy = try sandbox.replica("copy", scope: "kanto-shinetsu")
    #expect(try sandbox.ok(copy, "import", "events", excel) == "imported 35 events from \(excel)")
    let original = try sandbox.json([JSONRecord].self, directory, "event", "list", "--json")
    let imported = try sandbox.json([JSONRecord].self, copy, "event", "list", "--json")
    #expect(imported.map(\.id) == original.map(\.id))
    #expect(zip(imported, original).allSatisfy { $0.fields == $1.fields })

    let funds = sandbox.root + "/funds.csv"
    #expect(try sandbox.ok(directory, "export", "funds", "--csv", funds, "--excel") == "wrote 1 fund entry to \(funds)")
    let fundText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: funds)).dropFirst(3), as: UTF8.self)
    #expect(fundText.hasPrefix("id,amount,corrects,fiscal_year,kind,memo,occurred_on,programme,scope\r\n"))
    #expect(fundText.contains(",12000000,,2023,deposit,\"積立, 第1回\",2023-05-30,\(Self.programme),kanto-shinetsu\r\n"))

    let notes = sandbox.root + "/notes.csv"
    #expect(try sandbox.ok(directory, "export", "notes", "--csv", notes) == "wrote 1 hearing note to \(notes)")
    let noteText = try String(contentsOfFile: notes, encoding: .utf8)
    #expect(noteText.hasPrefix("id,attendees,body,fiscal_year,follow_ups,held_on,scope,status,topic\n"))
    #expect(noteText.contains(",\"一行目\n二行目\n\",2023,,2023-06-12,kanto-shinetsu,draft,ヒアリング\n"))

    let unwritable = try sandbox.run(directory, "export", "events", "--csv", sandbox.root + "/no/such/dir/x.csv")
    #expect(unwritable.status == 1 && unwritable.stderr.hasPrefix("Error: cannot write \(sandbox.root)/no/such/dir/x.csv: "))
    expectUsageError(
      try sandbox.run(directory, "export", "events"), "Missing expected argument '--csv <file>'", command: "renkei export events")
  }

  /// Two offices edit the same event offline and sync by bundles through `renkei-hub`: the
  /// conflict reaches the replica, which marks it in lists and keeps both sides' values.
  @Test func aConflictCarriedByBundlesIsMarkedAndKeepsBothSides() throws {
    let sandbox = try AgentSandbox()
    let hub = sandbox.root + "/hub"
    try FileManager.default.createDirectory(atPath: hub, withIntermediateDirectories: true)
    var replicas: [String: String] = [:]
    for (site, role, scope, author) in [("saitama", "prefecture", "11", "田中"), ("kanto", "bureau", "kanto-shinetsu", "鈴木")] {
      let added = try ProcessRunner.run("renkei-hub", ["--dir", hub, "site", "add", site, "--role", role, "--scope", scope])
      try #require(added.status == 0, "\(added.stderr)")
      let token = try sandbox.file("\(site).token", added.stdout)
      replicas[site] = sandbox.root + "/" + site
      let created = try sandbox.run(
        [
          "--dir", replicas[site]!, "init", "--site", site, "--hub", AgentSandbox.hub, "--token-file", token, "--scope", scope, "--author",
          author,
        ])
      try #require(created.status == 0, "\(created.stderr)")
    }
    var round = 0
    func exchange(_ site: String) throws -> String {
      round += 1
      let bundle = sandbox.root + "/\(site)-\(round).bundle"
      try sandbox.ok(replicas[site]!, "bundle", "export", bundle)
      let applied = try ProcessRunner.run("renkei-hub", ["--dir", hub, "bundle", "import", bundle])
      try #require(applied.status == 0, "\(applied.stderr)")
      return try sandbox.ok(replicas[site]!, "bundle", "import", bundle + ".reply")
    }

    let event = try sandbox.ok(replicas["saitama"]!, "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-09-14")
    #expect(try exchange("saitama").hasSuffix(": 1 version from the hub; 0 changes still to send; 0 open conflicts"))
    _ = try exchange("kanto")
    try sandbox.ok(replicas["saitama"]!, "event", "edit", event, "--venue", "川越市")
    try sandbox.ok(replicas["kanto"]!, "event", "edit", event, "--venue", "浦和", "--participants", "30")
    _ = try exchange("saitama")
    #expect(try exchange("kanto").hasSuffix("; 0 changes still to send; 1 open conflict"))
    _ = try exchange("saitama")

    for site in ["saitama", "kanto"] {
      let directory = replicas[site]!
      let list = try sandbox.ok(directory, "event", "list").split(separator: "\n")
      #expect(list.last == "1 event; 1 in conflict: see renkei conflicts")
      expectAligned(Array(list.dropLast()))
      #expect(list[0].contains("衝突") && list[2].contains("  あり  \(event)"), "\(site) marks the conflict")
      #expect(
        try sandbox.ok(directory, "event", "show", event).hasSuffix(
          "\nin conflict   #1 between kanto and saitama on venue: see renkei conflicts"))
      let conflicts = try sandbox.ok(directory, "conflicts")
      #expect(conflicts.hasPrefix("conflict #1: event \(event) 地域ケア会議\n  venue (different-values); provisionally "))
      #expect(conflicts.contains("    田中 (saitama) at ") && conflicts.contains(": \"川越市\"\n"))
      #expect(conflicts.contains("    鈴木 (kanto) at ") && conflicts.contains(": \"浦和\"\n"))
      #expect(
        conflicts.hasSuffix("\n1 record in conflict; the bureau's administrator decides, and the decision arrives with the next sync"))
      #expect(try sandbox.ok(directory, "status").contains("in conflict:   1 record"))
      let record = try sandbox.json([JSONRecord].self, directory, "conflicts", "--json")
      #expect(record.map(\.id) == [event] && record.first?.fields["participants"] == .integer(30), "the edit that did not collide merged")
      // Never synced over the network, each says how recent its copy of the hub's records is.
      let status = try sandbox.ok(directory, "status")
      #expect(status.contains("last sync:     never\nlast bundle:   the hub's reply of "), "\(status)")
    }
    // An older reply imported again applies nothing and leaves the date of the newest.
    struct Dated: Decodable { let last_bundle_reply: String? }
    let newest = try sandbox.json(Dated.self, replicas["saitama"]!, "status", "--json").last_bundle_reply
    #expect(newest != nil)
    try sandbox.ok(replicas["saitama"]!, "bundle", "import", sandbox.root + "/saitama-1.bundle.reply")
    #expect(try sandbox.json(Dated.self, replicas["saitama"]!, "status", "--json").last_bundle_reply == newest)
  }

  @Test func logStatusConflictsAndBundleExportDescribeTheReplica() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    #expect(try sandbox.ok(directory, "log") == "no edits made on this replica yet")
    #expect(try sandbox.ok(directory, "conflicts") == "no records of this replica are in conflict")
    #expect(try sandbox.json([JSONRecord].self, directory, "conflicts", "--json").isEmpty)

    let event = try sandbox.ok(directory, "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-09-14")
    try sandbox.ok(directory, "event", "edit", event, "--venue", "川越市")
    let entry = try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "deposit", "--amount", "100万", "--on", "2023-05-30")

    let log = try sandbox.ok(directory, "log").split(separator: "\n")
    #expect(log.count == 3)
    // A create names the fields it gave a value, as the hub's history does, not every empty one.
    let given = "fiscal_year, kind, scope, starts_on, status, title"
    #expect(log[0].contains("  田中 (saitama.1 #1)  create event \(event) \(given)  [not yet pushed]"))
    #expect(log[1].contains(" update event \(event) venue  [not yet pushed]"))
    #expect(
      log[2].contains(" create fund-entry \(entry) amount, fiscal_year, kind, occurred_on, programme, scope  [not yet pushed]"))
    let one = try sandbox.ok(directory, "log", event)
    #expect(one.contains("\nnow: version ") && one.contains("by 田中 (saitama) at "))
    expectFailure(try sandbox.run(directory, "log", "no-such-record"), "no record with id no-such-record on this replica")
    expectUsageError(try sandbox.run(directory, "log", "--limit", "0"), "--limit must be at least 1", command: "renkei log")
    struct LogEntry: Decodable {
      var record: String
      var operation: String
      var pushed: Bool
    }
    let entries = try sandbox.json([LogEntry].self, directory, "log", "--limit", "2", "--json")
    #expect(
      entries.map(\.record) == [event, entry] && entries.map(\.operation) == ["update", "create"] && entries.allSatisfy { !$0.pushed })
    #expect(try sandbox.ok(directory, "status").contains("to push:       3 changes"))

    let bundle = sandbox.root + "/saitama.bundle"
    #expect(
      try sandbox.ok(directory, "bundle", "export", bundle)
        == "wrote 3 changes to \(bundle); import it at the hub with: renkei-hub bundle import \(bundle)")
    #expect((try Data(contentsOf: URL(fileURLWithPath: bundle))).count > 0)
    expectFailure(
      try sandbox.run(directory, "bundle", "import", bundle), "\(bundle) is a push bundle: take it to the hub; here import the hub's reply")
    let garbage = try sandbox.file("garbage.bundle", "not a bundle")
    let refused = try sandbox.run(directory, "bundle", "import", garbage)
    #expect(refused.status == 1 && refused.stderr.hasPrefix("Error: \(garbage) is refused, nothing of it applied: "))
    #expect(try sandbox.ok(directory, "status").contains("to push:       3 changes"), "nothing changed")
  }
}
