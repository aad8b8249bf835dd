import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// Deleted long ago: the bureau's replica stays offline while Saitama deletes an event and
/// the administrator compacts the hub's tombstones. When the bureau finally edits and syncs
/// its stale copy, the event does not come back: the edit waits in the conflict queue, and
/// every replica shows the event deleted and in conflict.
@Suite struct TombstoneCompactionEndToEndTests {
  @Test func aStaleEditAfterCompactionGoesToReviewAndNothingComesBack() throws {
    let setup = try SyncEndToEndTests.Setup()
    let hubArguments = ["--dir", setup.hub.directory]
    let event = try setup.on(
      "saitama", "event", "add", "--title", "移動支援 意見交換会", "--kind", "exchange", "--starts-on", "2023-11-14", "--notes",
      "講師: 山田")
    try setup.sync(["saitama", "kanto"])

    // The bureau goes offline; Saitama deletes the event and the hub compacts it.
    _ = try setup.on("saitama", "event", "delete", event)
    try setup.sync(["saitama"])
    let refused = try ProcessRunner.run("renkei-hub", hubArguments + ["compact", "--older-than", "-1"])
    #expect(refused.status == 64 && refused.stderr.contains("--older-than"), "\(refused.stderr)")
    // Saitama's replica holds the deletion once its next sync tells the hub so. The bureau
    // may read the event and has not stored its deletion: compaction waits for it, and says
    // so, until the administrator stops waiting.
    try setup.sync(["saitama"])
    let waiting = try ProcessRunner.run("renkei-hub", hubArguments + ["compact", "--older-than", "0"])
    #expect(waiting.status == 0 && waiting.stdout.contains("kept 1 deleted record whole: not yet held by kanto"), "\(waiting.stdout)")
    let sites = try ProcessRunner.run("renkei-hub", hubArguments + ["site", "list"])
    let lines = sites.stdout.split(separator: "\n")
    // Yamanashi has never synced; it may not read Saitama's event, so compaction does not wait for it.
    #expect(lines.first?.contains("LAST SYNCED") == true, "\(sites.stdout)")
    #expect(lines.contains { $0.hasPrefix("yamanashi ") && $0.contains("never") }, "\(sites.stdout)")
    #expect(lines.filter { ($0.hasPrefix("saitama ") || $0.hasPrefix("kanto ")) && !$0.contains("never") }.count == 2, "\(sites.stdout)")
    let unknown = try ProcessRunner.run("renkei-hub", hubArguments + ["compact", "--older-than", "0", "--ignore-site", "nagano"])
    #expect(
      unknown.status == 64 && unknown.stderr.contains("no site named \"nagano\" is registered"), "\(unknown.status) \(unknown.stderr)")
    let compacted = try ProcessRunner.run("renkei-hub", hubArguments + ["compact", "--older-than", "0", "--ignore-site", "kanto", "--json"])
    try #require(compacted.status == 0, "\(compacted.stderr)")
    struct Compaction: Decodable {
      var records: Int
      var versions_dropped: Int
      var change_bodies_dropped: Int
      var held_back: Int
      var waiting_for: [String]
    }
    let compaction = try JSONDecoder().decode(Compaction.self, from: Data(compacted.stdout.utf8))
    #expect(compaction.records == 1 && compaction.versions_dropped >= 1 && compaction.held_back == 0, "\(compacted.stdout)")
    let hubPath = HubServer.databasePath(in: setup.hub.directory)
    #expect(try Hub(path: hubPath).record(try RecordID(event))?.state.fields.isEmpty == true)

    // Back online, the bureau edits its stale copy and syncs.
    _ = try setup.on("kanto", "event", "edit", event, "--venue", "大宮", "--participants", "30")
    try setup.sync(["kanto", "saitama", "kanto"])

    let hubRecord = try #require(try Hub(path: hubPath).record(try RecordID(event)))
    let listed = try ProcessRunner.run("renkei-hub", hubArguments + ["conflicts", "list", "--json"])
    try #require(listed.status == 0, "\(listed.stderr)")
    let queue = try JSONDecoder().decode([ConflictReviewEndToEndTests.Queued].self, from: Data(listed.stdout.utf8)).filter { $0.record_id == event }
    #expect(hubRecord.state.deleted, "the compacted event came back at the hub")
    #expect(queue.count == 1 && queue.first?.fields.map(\.rule) == ["edit-delete", "edit-delete"], "\(listed.stdout)")
    #expect(Set(queue.first?.fields.map(\.field) ?? []) == ["participants", "venue"])

    // conflicts show offers only decisions that can stand: the tombstone's side, or the whole
    // record written out. The bureau's side holds two fields, so taking it would be refused.
    let shown = try ProcessRunner.run("renkei-hub", hubArguments + ["conflicts", "show", String(queue.first?.id ?? 0)])
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(shown.stdout.contains("--take saitama --reason") && shown.stdout.contains("--edit record.json"), "\(shown.stdout)")
    #expect(!shown.stdout.contains("--take kanto") && !shown.stdout.contains("--field "), "\(shown.stdout)")
    #expect(shown.stdout.contains("deleted and compacted"), "\(shown.stdout)")

    var deletedOn = 0
    for site in ["saitama", "kanto"] {
      let shown = try JSONDecoder().decode(
        SyncEndToEndTests.Listed.self, from: Data(try setup.on(site, "event", "show", event, "--json").utf8))
      #expect(shown.deleted && shown.conflict?.id == queue.first?.id && shown.vector == hubRecord.vector, "\(site): \(shown)")
      if shown.deleted { deletedOn += 1 }
    }
    print(
      "FIGURE 6 | deleted long ago | stale edit of a compacted tombstone: resurrected 0, queued as 1 edit-delete conflict on \(queue.first?.fields.count ?? 0) fields, shown deleted on \(deletedOn)/2 replicas, \(compaction.versions_dropped) versions and \(compaction.change_bodies_dropped) change bodies dropped"
    )
  }
}
