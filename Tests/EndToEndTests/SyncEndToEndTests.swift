import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// A real hub process and three real agents (two prefectures and the bureau) in temporary
/// directories: each edits offline, they sync in several orders, and every replica ends
/// holding exactly what the hub holds for its scope, with the conflicts the rules demand.
@Suite struct SyncEndToEndTests {
  /// A record as `renkei event list --json` prints it.
  struct Listed: Decodable {
    var id: String
    var scope: String
    var fields: RecordFields
    var vector: VersionVector
    var deleted: Bool
    var conflict: ConflictSummary?
  }

  final class Setup {
    let root: String
    let hub: HubProcess
    var agents: [String: String] = [:]

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-e2e-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: root + "/hub", withIntermediateDirectories: true)
      hub = try HubProcess(directory: root + "/hub")
      for (site, role, scope, offline) in [
        ("saitama", "prefecture", "11", false), ("yamanashi", "prefecture", "19", true), ("kanto", "bureau", "kanto-shinetsu", false),
      ] {
        let token = try hub.addSite(site, role: role, scope: scope)
        let directory = root + "/" + site
        var arguments = ["--dir", directory, "init", "--site", site, "--hub", hub.url, "--token-file", token, "--author", "\(site)-staff"]
        if offline { arguments += ["--scope", scope] }
        try renkei(arguments)
        agents[site] = directory
      }
    }

    deinit {
      hub.stop()
      try? FileManager.default.removeItem(atPath: root)
    }

    @discardableResult
    func renkei(_ arguments: [String]) throws -> String {
      let result = try ProcessRunner.run("renkei", arguments)
      guard result.status == 0 else {
        throw EndToEndFailure("renkei \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
      }
      return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func on(_ site: String, _ arguments: String...) throws -> String {
      try renkei(["--dir", agents[site]!] + arguments)
    }

    func sync(_ order: [String]) throws {
      for site in order { _ = try on(site, "sync") }
    }

    func events(_ site: String) throws -> [Listed] {
      try JSONDecoder().decode([Listed].self, from: Data(try on(site, "event", "list", "--json").utf8))
    }
  }

  static let orders: [[String]] = [
    ["saitama", "yamanashi", "kanto"],
    ["kanto", "yamanashi", "saitama"],
    ["yamanashi", "kanto", "saitama"],
  ]

  @Test(arguments: orders)
  func offlineEditsConvergeWithTheConflictsTheRulesDemand(order: [String]) throws {
    let setup = try Setup()
    // Offline work on every replica before anyone syncs.
    let saitamaEvent = try setup.on("saitama", "event", "add", "--title", "認知症初期集中支援チーム研修", "--kind", "training", "--starts-on", "2023-07-12", "--venue", "さいたま市")
    let yamanashiEvent = try setup.on("yamanashi", "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-09", "--venue", "甲府市")
    let bureauEvent = try setup.on("kanto", "event", "add", "--title", "関東信越厚生局 事例検討会", "--kind", "case-study", "--starts-on", "2023-11-20")
    try setup.sync(order + order)

    // Concurrent edits of the same record: the venue collides, other fields merge.
    _ = try setup.on("kanto", "event", "edit", saitamaEvent, "--venue", "大宮ソニックシティ", "--notes", "講師: 厚生局\n")
    _ = try setup.on("saitama", "event", "edit", saitamaEvent, "--venue", "浦和コミュニティセンター", "--participants", "48")
    _ = try setup.on("yamanashi", "event", "edit", yamanashiEvent, "--status", "held", "--participants", "35")
    try setup.sync(order + order)

    let hub = try Hub(path: HubServer.databasePath(in: setup.hub.directory))
    let hubRecords = Dictionary(uniqueKeysWithValues: try hub.allRecords().map { ($0.recordID.rawValue, $0) })
    #expect(Set(hubRecords.keys) == [saitamaEvent, yamanashiEvent, bureauEvent])
    let scopes = ["saitama": "11", "yamanashi": "19", "kanto": "kanto-shinetsu"]
    for (site, scope) in scopes {
      let mine = try setup.events(site)
      let readable = try Scope(scope)
      let expected = hubRecords.filter { id, _ in
        let recordScope = id == saitamaEvent ? "11" : id == yamanashiEvent ? "19" : "kanto-shinetsu"
        return readable.canRead(try! Scope(recordScope))
      }
      #expect(Set(mine.map(\.id)) == Set(expected.keys), "\(site) holds \(mine.map(\.id))")
      for record in mine {
        #expect(record.vector == expected[record.id]?.vector, "\(site) \(record.id) vector")
        #expect(record.fields == expected[record.id]?.state.fields, "\(site) \(record.id) fields")
      }
      // A prefecture never receives another prefecture's records.
      if site != "kanto" { #expect(mine.allSatisfy { $0.scope == scope || $0.scope == "kanto-shinetsu" }) }
    }

    let conflicts = try hub.openConflicts()
    #expect(conflicts.count == 1)
    #expect(conflicts.first?.recordID.rawValue == saitamaEvent)
    #expect(conflicts.first?.fields == [FieldConflict(field: "venue", rule: .differentValues)])
    #expect(Set(conflicts.first?.sides.map(\.stamp.writer.site.rawValue) ?? []) == ["kanto", "saitama"])
    let merged = try #require(hubRecords[saitamaEvent])
    #expect(merged.state["participants"] == .integer(48))
    #expect(merged.state["notes"] == .text("講師: 厚生局\n"))
    for site in ["saitama", "kanto"] {
      let record = try #require(try setup.events(site).first { $0.id == saitamaEvent })
      #expect(record.conflict?.sites == [SiteID(rawValue: "kanto")!, SiteID(rawValue: "saitama")!], "\(site) shows the conflict")
    }
    #expect(try setup.events("yamanashi").first { $0.id == yamanashiEvent }?.fields["status"] == .string("held"))
    #expect(setup.hub.stop() == 0, "renkei-hub exits 0 on SIGTERM")
  }

  /// A pull of several pages asks for each next page while it stores the one before: every
  /// record must still arrive once, and the cursor stop at the hub's last position.
  @Test func aPullOfSeveralPagesStoresEveryRecordOnce() throws {
    let setup = try Setup()
    let rows = setup.root + "/bureau.csv"
    try DiskFullTests.eventsCSV(prefix: "pages", bureau: "kanto-shinetsu", prefecture: "", count: 1_234).write(
      toFile: rows, atomically: true, encoding: .utf8)
    _ = try setup.on("kanto", "import", "events", rows)
    try setup.sync(["kanto"])

    struct Summary: Decodable { var pulled: Int }
    let first = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "sync", "--json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try JSONDecoder().decode(Summary.self, from: Data(first.stdout.utf8)).pulled == 1_234)
    let lines = first.stderr.split(separator: "\n").filter { $0.contains("so far") }
    #expect(lines == ["pulled 500 versions so far", "pulled 1000 versions so far"], "\(first.stderr)")
    let listed = try setup.events("saitama")
    #expect(listed.count == 1_234 && Set(listed.map(\.id)).count == 1_234)
    #expect(Set(listed.map(\.id)) == Set(try setup.events("kanto").map(\.id)))
    let again = try JSONDecoder().decode(Summary.self, from: Data(try setup.on("saitama", "sync", "--json").utf8))
    #expect(again.pulled == 0)
  }

  @Test func aRevokedTokenIsRefusedAndAnUnreachableHubFailsClearly() throws {
    let setup = try Setup()
    try setup.sync(["yamanashi"])
    let revoke = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "site", "revoke", "yamanashi"])
    #expect(revoke.status == 0)
    let refused = try ProcessRunner.run("renkei", ["--dir", setup.agents["yamanashi"]!, "sync"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("refused this replica's token"))

    _ = try setup.on("saitama", "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01")
    setup.hub.stop()
    let unreachable = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "sync", "--retries", "2"])
    #expect(unreachable.status == 1)
    #expect(unreachable.stderr.contains("cannot reach the hub"))
    // Nothing was lost: the edit still waits to be pushed.
    #expect(try setup.on("saitama", "status").contains("to push:       1 change"))
  }

  /// A token that leaked is replaced without giving up the replica: the hub issues a new
  /// one, the old is refused at once, and the office's unsynced edit goes out with the new.
  @Test func aReplacedTokenKeepsTheReplicaAndItsUnsyncedEdits() throws {
    let setup = try Setup()
    let directory = setup.agents["saitama"]!
    try setup.sync(["saitama"])
    let event = try setup.on("saitama", "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01")

    let issued = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "site", "token", "saitama"])
    #expect(issued.status == 0 && issued.stderr.contains("its old token is refused from now on"), "\(issued.stderr)")
    let refused = try ProcessRunner.run("renkei", ["--dir", directory, "sync", "--retries", "1"])
    #expect(refused.status == 1 && refused.stderr.contains("refused this replica's token"), "\(refused.stderr)")

    let bad = try ProcessRunner.run("renkei", ["--dir", directory, "token", "--token-file", setup.root + "/no-such.token"])
    #expect(bad.status != 0 && bad.stderr.contains("cannot read the token file"), "\(bad.stderr)")
    let tokenFile = setup.root + "/saitama-new.token"
    try issued.stdout.write(toFile: tokenFile, atomically: true, encoding: .utf8)
    let replaced = try setup.on("saitama", "token", "--token-file", tokenFile)
    #expect(replaced.contains("replaced this replica's token"), "\(replaced)")
    let mode = try FileManager.default.attributesOfItem(atPath: directory + "/token")[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o600)
    try setup.sync(["saitama", "kanto"])
    #expect(try setup.events("kanto").contains { $0.id == event })

    // A revoked site gets no new token; an unknown name is named.
    _ = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "site", "revoke", "yamanashi"])
    let revoked = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "site", "token", "yamanashi"])
    #expect(revoked.status != 0 && revoked.stderr.contains("gets no new token") && revoked.stdout.isEmpty, "\(revoked.stderr)")
    let unknown = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "site", "token", "nagano"])
    #expect(unknown.status != 0 && unknown.stderr.contains("no site named nagano"), "\(unknown.stderr)")
  }

  /// A replica set up offline with a mistyped --scope holds the right token: the refusal
  /// names both scopes and the way out, and pushes nothing.
  @Test func aReplicaSetUpWithTheWrongScopeIsToldTheScopeTheHubRegistered() throws {
    let setup = try Setup()
    let token = try setup.hub.addSite("gunma", role: "prefecture", scope: "10")
    let directory = setup.root + "/gunma"
    try setup.renkei(["--dir", directory, "init", "--site", "gunma", "--hub", setup.hub.url, "--token-file", token, "--scope", "11"])
    _ = try setup.renkei(["--dir", directory, "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01"])
    let refused = try ProcessRunner.run("renkei", ["--dir", directory, "sync", "--retries", "1"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("this replica was set up for scope 11, but the hub registered gunma with scope 10"), "\(refused.stderr)")
    #expect(refused.stderr.contains("renkei init") && !refused.stderr.contains("use the token issued"), "\(refused.stderr)")
    #expect(try setup.renkei(["--dir", directory, "status"]).contains("to push:       1 change"))
  }

  /// An edit of a record in conflict is kept, and says that it joins the conflict rather
  /// than settling it.
  @Test func editingARecordInConflictSaysTheEditJoinsIt() throws {
    let setup = try Setup()
    let event = try setup.on("saitama", "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-10-05")
    try setup.sync(["saitama", "kanto"])
    _ = try setup.on("saitama", "event", "edit", event, "--venue", "浦和")
    _ = try setup.on("kanto", "event", "edit", event, "--venue", "大宮")
    try setup.sync(["saitama", "kanto", "saitama"])
    let edited = try setup.on("saitama", "event", "edit", event, "--venue", "浦和会館")
    #expect(edited.hasPrefix("edited event \(event): venue\nnote: this event is in conflict #1"), "\(edited)")
    let calm = try setup.on("saitama", "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01")
    #expect(!(try setup.on("saitama", "event", "edit", calm, "--venue", "大宮")).contains("conflict"))
  }

  @Test func theHubsLogOfARecordShowsEverySitesEditsAndWhatWaitsHereAndAtTheConsole() throws {
    let setup = try Setup()
    let event = try setup.on("saitama", "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-10-05")
    try setup.sync(["saitama", "kanto"])
    _ = try setup.on("kanto", "event", "edit", event, "--venue", "大宮")
    try setup.sync(["kanto", "saitama"])
    _ = try setup.on("saitama", "event", "edit", event, "--title", "地域ケア推進会議")

    // Offline, the replica knows only its own edits; the hub knows the bureau's too.
    let local = try setup.on("saitama", "log", event)
    #expect(!local.contains("kanto-staff") && !local.contains("update venue"), "\(local)")
    let lines = try setup.on("saitama", "log", event, "--hub").split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(lines)")
    #expect(lines[0].contains("saitama-staff (saitama)  create ") && lines[0].hasSuffix("[this replica]"), "\(lines)")
    #expect(lines[1].contains("kanto-staff (kanto)  update venue") && !lines[1].contains("[this replica]"), "\(lines)")
    #expect(lines[2].contains("saitama-staff (saitama)  update title  [not yet pushed]"), "\(lines)")
    #expect(lines[3] == "now: live at the hub, 2 edits shown", "\(lines)")

    struct Document: Decodable {
      var hub: RecordHistoryPage
      var omitted: Int
      var notYetPushed: [Waiting]
      struct Waiting: Decodable { var fields: [String] }
      enum CodingKeys: String, CodingKey {
        case hub, omitted
        case notYetPushed = "not_yet_pushed"
      }
    }
    let json = try JSONDecoder().decode(Document.self, from: Data(try setup.on("saitama", "log", event, "--hub", "--json").utf8))
    #expect(json.hub.entries.map(\.operation) == [.create, .update] && json.hub.entries[1].fields == ["venue"])
    #expect(json.notYetPushed.map(\.fields) == [["title"]] && json.omitted == 0)
    let limited = try setup.on("saitama", "log", event, "--hub", "--limit", "1").split(separator: "\n")
    #expect(limited.count == 3 && limited.last == "now: live at the hub, the last 1 of 2 edits shown", "\(limited)")

    // A record of another prefecture is unknown to this token, as a mistyped id is.
    let theirs = try setup.on("yamanashi", "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01")
    try setup.sync(["yamanashi"])
    for id in [theirs, "no-such-record"] {
      let refused = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "log", id, "--hub"])
      #expect(refused.status == 1 && refused.stderr.contains("the hub holds no record \(id) in this replica's scope"), "\(refused.stderr)")
    }
    let unsynced = try setup.on("saitama", "event", "add", "--title", "研修会", "--kind", "training", "--starts-on", "2023-09-01")
    let waiting = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "log", unsynced, "--hub"])
    #expect(waiting.status == 1 && waiting.stderr.contains("reaches the hub with the next renkei sync"), "\(waiting.stderr)")
    // Offline, it says so and what still works.
    setup.hub.stop()
    let offline = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "log", event, "--hub"])
    #expect(offline.status == 1 && offline.stderr.contains("without the hub, renkei log \(event) shows this laptop's edits"), "\(offline.stderr)")
    let noID = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "log", "--hub"])
    #expect(noID.status == 64 && noID.stderr.contains("give its id"), "\(noID.stderr)")

    // At the hub's console the administrator reads any record's history.
    let console = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "history", event])
    let consoleLines = console.stdout.split(separator: "\n").map(String.init)
    #expect(console.status == 0 && consoleLines.count == 2, "\(console.stdout)\(console.stderr)")
    #expect(consoleLines.first?.contains("saitama-staff (saitama)  create ") == true && consoleLines.last?.hasSuffix("update venue") == true)
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "history", theirs]).stdout.contains("yamanashi"))
    let unknown = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "history", "no-such-record"])
    #expect(unknown.status == 1 && unknown.stderr.contains("the hub holds no record no-such-record"), "\(unknown.stderr)")
    let malformed = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "history", "No Such"])
    #expect(malformed.status == 64 && malformed.stderr.contains("is not a record id"), "\(malformed.stderr)")
  }

  @Test func conflictsShowMoneyAsYen() throws {
    let setup = try Setup()
    _ = try setup.on("saitama", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "deposit", "--amount", "500万", "--on", "2023-07-03")
    _ = try setup.on(
      "kanto", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "deposit", "--amount", "5,000,000", "--on", "2023-07-03", "--scope", "11")
    try setup.sync(["saitama", "kanto", "saitama"])
    let shown = try setup.on("saitama", "conflicts")
    #expect(shown.contains("amount (possible-duplicate); provisionally 5,000,000円"), "\(shown)")
    #expect(!shown.contains("5000000"), "\(shown)")
  }
}
