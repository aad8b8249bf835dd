import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// Real processes: a prefecture and the bureau edit the same records offline, the
/// conflicts reach the administrator's queue with the right fields, the administrator
/// decides each in a different way, and after one more sync every replica shows the
/// decision and the audit lists it.
@Suite struct ConflictReviewEndToEndTests {
  struct Queued: Decodable {
    struct Field: Decodable, Equatable {
      var field: String
      var rule: String
    }
    var id: Int64
    var record_id: String
    var revision: Int64
    var fields: [Field]
    var status: String
  }

  @Test func theAdministratorResolvesEachConflictAndEveryReplicaShowsIt() throws {
    let setup = try SyncEndToEndTests.Setup()
    _ = try setup.hub.addSite("bureau-admin", role: "admin", scope: "kanto-shinetsu")
    let root = setup.root

    // Records both offices will touch, made by Saitama and synced everywhere.
    let event = try setup.on("saitama", "event", "add", "--title", "地域ケア会議 研修", "--kind", "training", "--starts-on", "2023-10-05", "--venue", "さいたま市")
    let doomed = try setup.on("saitama", "event", "add", "--title", "移動支援 意見交換会", "--kind", "exchange", "--starts-on", "2023-11-14")
    try "概要\n認知症初期集中支援の体制\n課題\n人材確保\n".write(toFile: root + "/body0.txt", atomically: true, encoding: .utf8)
    let note = try setup.on("saitama", "note", "add", "--topic", "介護人材ヒアリング", "--held-on", "2023-06-20", "--body-file", root + "/body0.txt")
    try setup.sync(["saitama", "kanto", "yamanashi"])

    // Offline, concurrently.
    _ = try setup.on("saitama", "event", "edit", event, "--venue", "浦和", "--participants", "52")
    _ = try setup.on("kanto", "event", "edit", event, "--venue", "大宮")
    try "概要\n認知症初期集中支援の体制\n課題\n人材確保（県が研修を拡充）\n".write(toFile: root + "/body1.txt", atomically: true, encoding: .utf8)
    try "概要\n認知症初期集中支援の体制\n課題\n人材確保（厚生局が事例を紹介）\n".write(toFile: root + "/body2.txt", atomically: true, encoding: .utf8)
    _ = try setup.on("saitama", "note", "edit", note, "--body-file", root + "/body1.txt")
    _ = try setup.on("kanto", "note", "edit", note, "--body-file", root + "/body2.txt")
    _ = try setup.on("saitama", "event", "edit", doomed, "--title", "移動支援 意見交換会（延期）")
    _ = try setup.on("kanto", "event", "delete", doomed)
    // The same deposit entered by both offices: a possible duplicate, both still count.
    _ = try setup.on("saitama", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "deposit", "--amount", "5,000,000", "--on", "2023-07-03", "--scope", "11")
    let second = try setup.on("kanto", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "deposit", "--amount", "500万", "--on", "2023-07-03", "--scope", "11")
    try setup.sync(["saitama", "kanto", "yamanashi", "saitama", "kanto"])

    let hubArguments = ["--dir", setup.hub.directory]
    let listed = try ProcessRunner.run("renkei-hub", hubArguments + ["conflicts", "list", "--json"])
    try #require(listed.status == 0, "\(listed.stderr)")
    let queue = try JSONDecoder().decode([Queued].self, from: Data(listed.stdout.utf8))
    func conflict(on record: String) throws -> Queued {
      guard let found = queue.first(where: { $0.record_id == record }) else { throw EndToEndFailure("no conflict on \(record)") }
      return found
    }
    #expect(queue.count == 4, "\(listed.stdout)")
    #expect(try conflict(on: event).fields == [.init(field: "venue", rule: "different-values")])
    #expect(try conflict(on: note).fields == [.init(field: "body", rule: "overlapping-text")])
    #expect(try conflict(on: doomed).fields.map(\.rule) == ["edit-delete"])
    #expect(try conflict(on: second).fields.contains(.init(field: "amount", rule: "possible-duplicate")))

    // Non-colliding changes of the same record merged.
    let hub = try Hub(path: HubServer.databasePath(in: setup.hub.directory))
    #expect(try hub.record(try RecordID(event))?.state["participants"] == .integer(52))

    // `conflicts show` marks the colliding field and diffs the text against the base.
    let shown = try ProcessRunner.run("renkei-hub", hubArguments + ["conflicts", "show", String(try conflict(on: note).id)])
    #expect(shown.stdout.contains("* body  ← colliding (overlapping-text)"))
    #expect(shown.stdout.contains("+人材確保（県が研修を拡充）"))

    // One decision per conflict, each a different way.
    func resolve(_ record: String, _ choice: [String], reason: String) throws {
      let queued = try conflict(on: record)
      let result = try ProcessRunner.run(
        "renkei-hub", hubArguments + ["conflicts", "resolve", String(queued.id), "--revision", String(queued.revision)] + choice + ["--reason", reason])
      #expect(result.status == 0, "resolve \(record): \(result.stderr)")
    }
    try resolve(event, ["--take", "kanto"], reason: "会場は厚生局が確保済み")
    try resolve(note, ["--field", "body=saitama"], reason: "県の記録を正とする")
    try resolve(doomed, ["--take", "saitama"], reason: "延期であり中止ではない")
    try #"{"memo": "別々の入金であることを確認"}"#.write(toFile: root + "/decision.json", atomically: true, encoding: .utf8)
    try resolve(second, ["--edit", root + "/decision.json"], reason: "通帳で二回の入金を確認")
    // Deciding twice is refused.
    let again = try ProcessRunner.run(
      "renkei-hub", hubArguments + ["conflicts", "resolve", String(try conflict(on: event).id), "--revision", "1", "--take", "saitama", "--reason", "x"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("already resolved"))

    try setup.sync(["saitama", "kanto", "yamanashi"])
    #expect(try hub.openConflicts().isEmpty)
    for site in ["saitama", "kanto"] {
      let records = try setup.events(site)
      #expect(records.first { $0.id == event }?.fields["venue"] == .string("大宮"), "\(site)")
      #expect(records.first { $0.id == doomed }?.deleted == false, "\(site): the edit won over the delete")
      #expect(records.allSatisfy { $0.conflict == nil }, "\(site) still shows a conflict")
      let log = try setup.on(site, "log", event)
      #expect(log.contains("resolved by bureau-admin"), "\(site) log: \(log)")
      #expect(log.contains("会場は厚生局が確保済み"))
      #expect(try setup.on(site, "conflicts").contains("resolved by the bureau"))
    }
    #expect(try hub.record(try RecordID(note))?.state["body"] == .string("概要\n認知症初期集中支援の体制\n課題\n人材確保（県が研修を拡充）\n"))
    #expect(!(try setup.events("yamanashi").contains { $0.id == event }), "Yamanashi never receives Saitama's records")

    let audit = try ProcessRunner.run("renkei-hub", hubArguments + ["audit", "--json"])
    let entries = try JSONDecoder().decode([AuditEntry].self, from: Data(audit.stdout.utf8))
    #expect(entries.filter { $0.action == "resolve" }.count == 4)
    #expect(entries.contains { $0.action == "resolve" && $0.recordID == event && $0.reason == "会場は厚生局が確保済み" && $0.actor == "bureau-admin" })
  }
}
