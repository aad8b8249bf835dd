import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

@testable import RenkeiAgent

/// `renkei log ID --hub` as it reads a real hub's history of a record (an in-memory hub, fed
/// the replicas' changes as a push would feed it) against this replica's change log.
@Suite struct HubRecordLogTests {
  let saitama = SiteID(rawValue: "saitama")!
  let kanto = SiteID(rawValue: "kanto")!
  let prefecture = try! Scope("11")
  let bureau = try! Scope("kanto-shinetsu")
  /// 2023-07-01 09:00 JST; the replicas' clocks are fixed so every stamp is known.
  static let start: Int64 = 1_688_169_600_000

  func hub() throws -> Hub {
    let hub = try Hub(path: ":memory:")
    _ = try hub.addSite(saitama, role: .prefecture, scope: prefecture)
    _ = try hub.addSite(kanto, role: .bureau, scope: bureau)
    return hub
  }

  func replica(_ site: SiteID, _ scope: Scope, at path: String = ":memory:", clock: Int64 = start) throws -> Replica {
    try Replica.create(at: path, site: site, scope: scope, author: "\(site)-staff", wallClock: { clock })
  }

  func event(_ title: String) -> RecordFields {
    ["scope": .string("11"), "kind": .string("council"), "title": .text(title), "starts_on": .string("2023-10-05")]
  }

  /// Pushes what `replica` has not had acknowledged; the acknowledgement reaches it only when
  /// `acknowledged` is true (otherwise the connection dropped after the hub committed).
  func push(_ replica: Replica, to hub: Hub, acknowledged: Bool = true) throws {
    let result = try hub.push(try replica.pendingChanges(), from: replica.site, scope: replica.scope)
    if acknowledged { try replica.acknowledge(through: result.acknowledgedSequence) }
  }

  func show(_ id: RecordID, on replica: Replica, hub: Hub, limit: Int = 50) throws -> (HubRecordLog.Document, [String]) {
    let page = try #require(try hub.recordHistory(of: id, readableBy: replica.scope))
    let log = try replica.localChanges(for: id)
    let document = try HubRecordLog.document(page, limit: limit, log: log, replica: replica)
    return (document, HubRecordLog.lines(document, log: log, site: replica.site))
  }

  @Test func anEditTheHubStoredIsTheHubsEvenWhenItsAcknowledgementWasLost() throws {
    let hub = try hub()
    let replica = try replica(saitama, prefecture)
    let id = try replica.create(.event, fields: event("地域ケア会議")).recordID
    try push(replica, to: hub)
    try replica.update(id, fields: ["title": .text("地域ケア推進会議")])
    try replica.update(id, fields: ["venue": .text("浦和")])
    try push(replica, to: hub, acknowledged: false)
    try replica.update(id, fields: ["participants": .integer(30)])
    #expect(try replica.pendingChanges().map(\.sequence) == [2, 3, 4], "the replica still waits for 2 and 3")

    let (document, lines) = try show(id, on: replica, hub: hub)
    #expect(document.notYetPushed.map(\.sequence) == [4], "\(lines)")
    #expect(lines.count == 5, "\(lines)")
    #expect(lines[0].contains("saitama-staff (saitama)  create ") && lines[0].hasSuffix("  [this replica]"), "\(lines)")
    #expect(lines[1].hasSuffix("  update title  [this replica]"), "\(lines)")
    #expect(lines[2].hasSuffix("  update venue  [this replica]"), "\(lines)")
    #expect(lines[3].hasSuffix("saitama-staff (saitama)  update participants  [not yet pushed]"), "\(lines)")
    #expect(lines[4] == "now: live at the hub, 3 edits shown")

    // The JSON form drops them too.
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(try RecordDocument.json(document).utf8)) as? [String: Any])
    let waiting = try #require(json["not_yet_pushed"] as? [[String: Any]])
    #expect(waiting.map { $0["sequence"] as? Int } == [4] && json["omitted"] as? Int == 0)

    // An edit the hub holds is not waiting when --limit leaves it off the page shown.
    let (limited, limitedLines) = try show(id, on: replica, hub: hub, limit: 1)
    #expect(limited.hub.entries.map(\.fields) == [["venue"]] && limited.omitted == 2)
    #expect(limited.notYetPushed.map(\.sequence) == [4], "\(limitedLines)")
    #expect(limitedLines.filter { $0.hasSuffix("[not yet pushed]") }.count == 1, "\(limitedLines)")
    #expect(limitedLines.last == "now: live at the hub, the last 1 of 3 edits shown")
  }

  @Test func aCopyRestoredFromABackupTellsItsOwnEditsFromTheLostCopysAndAnotherSites() throws {
    let hub = try hub()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-log-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let lost = try replica(saitama, prefecture)
    let id = try lost.create(.event, fields: event("地域ケア会議")).recordID
    try push(lost, to: hub)
    let backup = directory.appendingPathComponent("saitama.sqlite").path
    try lost.database.backup(to: backup)
    // After the backup the copy goes on editing and syncing, and is then lost.
    try lost.update(id, fields: ["venue": .text("浦和")])
    try push(lost, to: hub)
    let bureauReplica = try replica(kanto, bureau)
    let pulled = try hub.pull(for: bureau, after: 0, limit: 100)
    try bureauReplica.apply(pulled.entries, cursor: pulled.cursor)
    try bureauReplica.update(id, fields: ["title": .text("地域ケア推進会議")])
    try push(bureauReplica, to: hub)

    // The copy restored a day later still writes as epoch 1 until its next sync: its edit has
    // the lost copy's sequence number and vector, but is another edit.
    let restored = try Replica(path: backup, wallClock: { Self.start + 86_400_000 })
    try restored.update(id, fields: ["participants": .integer(30)])
    var (document, lines) = try show(id, on: restored, hub: hub)
    #expect(lines.count == 5, "\(lines)")
    #expect(lines[0].contains("saitama-staff (saitama)  create ") && lines[0].hasSuffix("  [this replica]"), "\(lines)")
    #expect(lines[1].hasSuffix("saitama-staff (saitama)  update venue  [this site, another copy]"), "\(lines)")
    #expect(lines[2].hasSuffix("kanto-staff (kanto)  update title"), "\(lines)")
    #expect(lines[3].hasSuffix("saitama-staff (saitama)  update participants  [not yet pushed]"), "\(lines)")
    #expect(document.notYetPushed.map(\.writer) == [WriterID(site: saitama, epoch: 1)])

    // Its sync finds the hub holding another change under that number, and writes the edit
    // again as epoch 2: that one is this replica's, and nothing waits.
    #expect(throws: HubError.self) { try push(restored, to: hub) }
    try restored.beginNewEpoch(after: try hub.latestEpoch(of: saitama))
    try push(restored, to: hub)
    (document, lines) = try show(id, on: restored, hub: hub)
    #expect(document.notYetPushed.isEmpty, "\(lines)")
    // Each line without its time.
    #expect(
      lines.dropLast().map { $0.components(separatedBy: "  ").dropFirst().joined(separator: "  ") } == [
        "saitama-staff (saitama)  create fiscal_year, kind, scope, starts_on, status, title  [this replica]",
        "saitama-staff (saitama)  update venue  [this site, another copy]",
        "kanto-staff (kanto)  update title",
        "saitama-staff (saitama)  update participants  [this replica]",
      ], "\(lines)")
    #expect(lines.last == "now: live at the hub, 4 edits shown")
  }
}
