import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// Compacting old tombstones, and what becomes of an edit that arrives after it: the record
/// stays deleted and the edit waits in the conflict queue.
@Suite struct TombstoneCompactionTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ title: String, notes: String = "") -> RecordFields {
    [
      "scope": .string("11"), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06"),
      "notes": .text(notes),
    ]
  }

  func sync(_ replica: Replica, _ hub: Hub) throws {
    let pending = try replica.pendingChanges()
    if !pending.isEmpty {
      try replica.acknowledge(through: try hub.push(pending, from: replica.site, scope: replica.scope).acknowledgedSequence)
    }
    var page = try hub.pull(for: replica.scope, after: try replica.pullCursor, limit: 1000)
    try replica.apply(page.entries, cursor: page.cursor)
    while page.hasMore {
      page = try hub.pull(for: replica.scope, after: try replica.pullCursor, limit: 1000)
      try replica.apply(page.entries, cursor: page.cursor)
    }
  }

  func count(_ hub: Hub, _ sql: String, _ values: [DatabaseValue] = []) throws -> Int64 {
    try hub.database.prepare(sql).firstRow(values)!.int64(0)
  }

  /// A hub whose clock stands at `day` days after 2024-01-01.
  func hub(onDay day: Double = 0) throws -> (Hub, Clock) {
    let hub = try Hub(path: ":memory:")
    let clock = Clock(day)
    hub.now = { clock.date }
    return (hub, clock)
  }

  final class Clock: @unchecked Sendable {
    // Tests set it between calls on one thread; nothing reads it concurrently.
    var day: Double
    init(_ day: Double) { self.day = day }
    var date: Date { Date(timeIntervalSince1970: 1_704_067_200 + day * 86_400) }
  }

  /// Saitama creates and edits an event, the bureau pulls it, Saitama deletes it on day 0.
  func deletedRecord(_ hub: Hub) throws -> (saitama: Replica, offline: Replica, id: RecordID) {
    let saitama = try replica("saitama", "11")
    let offline = try replica("kanto", "kanto-shinetsu")
    let id = try saitama.create(.event, fields: event("認知症セミナー", notes: "講師: 山田\n")).recordID
    _ = try saitama.update(id, fields: ["venue": .text("大宮")])
    try sync(saitama, hub)
    try sync(offline, hub)
    _ = try saitama.delete(id)
    try sync(saitama, hub)
    return (saitama, offline, id)
  }

  @Test func compactionKeepsIdScopeVectorAndDeleteMarkAndDropsTheRest() throws {
    let (hub, clock) = try hub()
    let (saitama, _, id) = try deletedRecord(hub)
    let live = try saitama.create(.event, fields: event("残る研修")).recordID
    try sync(saitama, hub)
    let before = try hub.record(id)!
    #expect(try count(hub, "SELECT count(*) FROM versions WHERE record_id = ?", [.text(id.rawValue)]) == 3)

    clock.day = 10
    #expect(try hub.compactTombstones(storedBefore: clock.date.addingTimeInterval(-30 * 86_400)).records == 0)
    let compaction = try hub.compactTombstones(storedBefore: clock.date.addingTimeInterval(-5 * 86_400))
    #expect(compaction.records == 1 && compaction.versionsDropped == 2 && compaction.changeBodiesDropped == 3)

    let after = try hub.record(id)!
    #expect(after.state.deleted && after.state.fields.isEmpty && after.vector == before.vector && after.kind == .event)
    #expect(try count(hub, "SELECT count(*) FROM versions WHERE record_id = ?", [.text(id.rawValue)]) == 1)
    #expect(try count(hub, "SELECT count(*) FROM changes WHERE record_id = ? AND body LIKE '%山田%'", [.text(id.rawValue)]) == 0)
    #expect(try count(hub, "SELECT count(*) FROM records WHERE id = ? AND scope = '11'", [.text(id.rawValue)]) == 1)
    #expect(try hub.record(live)?.state.deleted == false)
    #expect(try count(hub, "SELECT count(*) FROM changes WHERE record_id = ? AND body LIKE '%残る研修%'", [.text(live.rawValue)]) == 1)
    // Compacting again finds nothing left to drop.
    #expect(try hub.compactTombstones(storedBefore: clock.date).records == 0)

    // The compacted tombstone comes round the feed again, so replicas drop their copy's fields.
    try sync(saitama, hub)
    let local = try saitama.record(id)!
    #expect(local.state.deleted && local.state.fields.isEmpty)
  }

  /// Several tombstones compacted together: each loses exactly its own history and change
  /// content, whatever order their changes were stored in, and live records keep theirs.
  @Test func tombstonesCompactedTogetherEachDropExactlyTheirOwn() throws {
    let (hub, clock) = try hub()
    let saitama = try replica("saitama", "11")
    var deleted: [RecordID] = []
    var live: [RecordID] = []
    for index in 0..<6 {
      let id = try saitama.create(.event, fields: event("研修\(index)", notes: "秘\(index)\n")).recordID
      index % 2 == 0 ? deleted.append(id) : live.append(id)
    }
    for id in deleted + live { _ = try saitama.update(id, fields: ["venue": .text("大宮")]) }
    for id in deleted { _ = try saitama.delete(id) }
    try sync(saitama, hub)

    clock.day = 10
    let compaction = try hub.compactTombstones(storedBefore: clock.date)
    #expect(compaction.records == 3 && compaction.versionsDropped == 6 && compaction.changeBodiesDropped == 9)
    for id in deleted {
      #expect(try count(hub, "SELECT count(*) FROM versions WHERE record_id = ?", [.text(id.rawValue)]) == 1)
      #expect(try count(hub, "SELECT count(*) FROM changes WHERE record_id = ? AND body LIKE 'sha256:%'", [.text(id.rawValue)]) == 3)
      #expect(try hub.history(of: id)?.versions.count == 1)
    }
    for id in live {
      #expect(try count(hub, "SELECT count(*) FROM versions WHERE record_id = ?", [.text(id.rawValue)]) == 2)
      #expect(try count(hub, "SELECT count(*) FROM changes WHERE record_id = ? AND body LIKE '%秘%'", [.text(id.rawValue)]) == 1)
      #expect(try count(hub, "SELECT count(*) FROM changes WHERE record_id = ? AND body LIKE 'sha256:%'", [.text(id.rawValue)]) == 0)
    }
  }

  @Test func changesDeliveredAgainAfterCompactionAreStillRecognised() throws {
    let (hub, _) = try hub()
    let saitama = try replica("saitama", "11")
    let id = try saitama.create(.event, fields: event("研修")).recordID
    _ = try saitama.delete(id)
    let sent = try saitama.pendingChanges()
    try hub.push(sent, from: saitama.site, scope: saitama.scope)
    try hub.compactTombstones(storedBefore: Date.distantFuture)

    let again = try hub.push(sent, from: saitama.site, scope: saitama.scope)
    #expect(again.applied == 0 && again.acknowledgedSequence == 2)
    var altered = sent[0]
    altered.fields["title"] = .text("別の研修")
    let error = #expect(throws: HubError.self) { try hub.push([altered], from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .epochReused)
  }

  @Test func aStaleEditOfACompactedRecordGoesToReviewAndDoesNotBringItBack() throws {
    let (hub, _) = try hub()
    let (saitama, offline, id) = try deletedRecord(hub)
    try hub.compactTombstones(storedBefore: Date.distantFuture)

    // The bureau was offline all along: it still holds the live record and edits it twice.
    _ = try offline.update(id, fields: ["participants": .integer(40)])
    _ = try offline.update(id, fields: ["title": .text("認知症セミナー（改）")])
    let result = try hub.push(try offline.pendingChanges(), from: offline.site, scope: offline.scope)
    #expect(result.applied == 2 && result.conflicts.count == 1)
    try offline.acknowledge(through: result.acknowledgedSequence)

    let record = try hub.record(id)!
    #expect(record.state.deleted, "a compacted tombstone must not come back by itself")
    let conflict = try #require(try hub.openConflicts().first)
    #expect(conflict.recordID == id && Set(conflict.fields.map(\.field)) == ["participants", "title"])
    #expect(conflict.fields.allSatisfy { $0.rule == .editDelete })
    let edit = try #require(conflict.sides.first { $0.stamp.writer.site == offline.site })
    #expect(edit.state["participants"] == .integer(40) && edit.state["title"] == .text("認知症セミナー（改）"))
    #expect(conflict.sides.contains { $0.state.deleted })

    // Both sites converge on the provisional tombstone, marked as in conflict.
    try sync(offline, hub)
    try sync(saitama, hub)
    for site in [offline, saitama] {
      let local = try site.record(id)!
      #expect(local.state.deleted && local.conflict?.id == conflict.id && local.version.vector == record.vector)
    }
  }

  @Test func theAdministratorDecidesAStaleEdit() throws {
    let (hub, _) = try hub()
    _ = try hub.addSite(SiteID(rawValue: "bureau-admin")!, role: .admin, scope: Scope("kanto-shinetsu"))
    let admin = try hub.sites().first { $0.role == .admin }!
    let (_, offline, id) = try deletedRecord(hub)
    try hub.compactTombstones(storedBefore: Date.distantFuture)
    _ = try offline.update(id, fields: ["participants": .integer(40)])
    try sync(offline, hub)
    let conflict = try #require(try hub.openConflicts().first)

    // The edit alone is not a whole record any more: taking it is refused, with why.
    let refusal = #expect(throws: HubError.self) {
      try hub.resolve(conflict: conflict.id, revision: conflict.revision, choice: .take(offline.site), reason: "続行", by: admin)
    }
    #expect(refusal?.code == .invalidResolution && refusal?.message.contains("invalid record") == true)
    // Why, and the two ways that work: confirm the delete, or write the record out.
    #expect(refusal?.message.contains("was deleted and compacted, so it keeps no fields") == true, "\(refusal?.message ?? "")")
    #expect(refusal?.message.contains("take saitama's side to confirm the delete") == true, "\(refusal?.message ?? "")")
    #expect(refusal?.message.contains("write out the whole record (--edit FILE)") == true, "\(refusal?.message ?? "")")
    #expect(try hub.record(id)!.state.deleted)

    // Writing the record out brings it back, as an ordinary version every site pulls.
    var fields = event("認知症セミナー")
    fields["participants"] = .integer(40)
    let restored = try hub.resolve(
      conflict: conflict.id, revision: conflict.revision, choice: .record(fields), reason: "開催済みのため復元", by: admin)
    #expect(!restored.state.deleted && restored.state["participants"] == .integer(40))
    try sync(offline, hub)
    #expect(try offline.record(id)?.state.deleted == false)
    #expect(try hub.openConflicts().isEmpty)
  }

  @Test func theHistoryOfACompactedRecordSaysItIsIncomplete() throws {
    let (hub, _) = try hub()
    _ = try hub.addSite(SiteID(rawValue: "bureau-admin")!, role: .admin, scope: Scope("kanto-shinetsu"))
    let admin = try hub.sites().first { $0.role == .admin }!
    let (saitama, offline, id) = try deletedRecord(hub)
    let whole = try #require(try hub.recordHistory(of: id, readableBy: saitama.scope))
    #expect(whole.complete && whole.deleted && whole.entries.map(\.operation) == [.create, .update, .delete])
    #expect(whole.entries[1].fields == ["venue"])

    try hub.compactTombstones(storedBefore: Date.distantFuture)
    let compacted = try #require(try hub.recordHistory(of: id, readableBy: saitama.scope))
    #expect(!compacted.complete && compacted.deleted)
    #expect(compacted.entries.count < whole.entries.count)

    _ = try offline.update(id, fields: ["participants": .integer(40)])
    try sync(offline, hub)
    let conflict = try #require(try hub.openConflicts().first)
    var fields = event("認知症セミナー")
    fields["participants"] = .integer(40)
    try hub.resolve(conflict: conflict.id, revision: conflict.revision, choice: .record(fields), reason: "開催済みのため復元", by: admin)
    let restored = try #require(try hub.recordHistory(of: id, readableBy: saitama.scope))
    #expect(!restored.complete && !restored.deleted)
    let decision = try #require(restored.entries.last)
    #expect(decision.operation == .resolve && decision.stamp.writer.site == admin.name)
    #expect(try hub.recordHistory(of: id, readableBy: Scope("19")) == nil, "another prefecture is told nothing")
    // The version that took in the stale edit keeps the tombstone's stamp: it is no edit of Saitama's.
    #expect(restored.entries.map(\.operation) == [.delete, .resolve], "\(restored.entries)")
    #expect(restored.entries[0].fields == nil, "the version the deletion was written on is gone")
    #expect(decision.fields == ["fiscal_year", "kind", "participants", "scope", "starts_on", "status", "title"], "empty notes are no change")
    // The record written back is whole, with its derived fields, and its row has its year.
    let record = try #require(try hub.record(id))
    #expect(record.state["fiscal_year"] == .integer(2023) && record.state["status"] == .string("planned"))
    #expect(try count(hub, "SELECT count(*) FROM records WHERE id = ? AND fiscal_year = 2023", [.text(id.rawValue)]) == 1)
  }

  @Test func theAdministratorConfirmsTheDelete() throws {
    let (hub, _) = try hub()
    _ = try hub.addSite(SiteID(rawValue: "bureau-admin")!, role: .admin, scope: Scope("kanto-shinetsu"))
    let admin = try hub.sites().first { $0.role == .admin }!
    let (saitama, offline, id) = try deletedRecord(hub)
    try hub.compactTombstones(storedBefore: Date.distantFuture)
    _ = try offline.update(id, fields: ["venue": .text("浦和")])
    try sync(offline, hub)
    let conflict = try #require(try hub.openConflicts().first)
    try hub.resolve(conflict: conflict.id, revision: conflict.revision, choice: .take(saitama.site), reason: "中止済み", by: admin)
    for site in [offline, saitama] {
      try sync(site, hub)
      #expect(try site.record(id)?.state.deleted == true && site.record(id)?.conflict == nil)
    }
  }

  @Test func aStaleDeleteOfACompactedRecordSettlesByItself() throws {
    let (hub, _) = try hub()
    let (_, offline, id) = try deletedRecord(hub)
    try hub.compactTombstones(storedBefore: Date.distantFuture)
    _ = try offline.delete(id)
    let result = try hub.push(try offline.pendingChanges(), from: offline.site, scope: offline.scope)
    #expect(result.applied == 1 && result.conflicts.isEmpty)
    #expect(try hub.record(id)!.state.deleted && hub.openConflicts().isEmpty)
  }

  @Test func aRecordInConflictIsNotCompacted() throws {
    let (hub, _) = try hub()
    let saitama = try replica("saitama", "11")
    let bureau = try replica("kanto", "kanto-shinetsu")
    let id = try saitama.create(.event, fields: event("研修")).recordID
    try sync(saitama, hub)
    try sync(bureau, hub)
    // The delete is the later edit, so the tombstone is the provisional version. Saitama's
    // clock runs a minute ahead: on a fast machine both edits could fall in one millisecond,
    // and which came later would then not be the test's to say.
    _ = try bureau.update(id, fields: ["venue": .text("大宮")])
    saitama.wallClock = { Replica.systemMilliseconds() + 60_000 }
    _ = try saitama.delete(id)
    try sync(saitama, hub)
    try sync(bureau, hub)
    #expect(try hub.openConflicts().count == 1 && hub.record(id)!.state.deleted)
    #expect(try hub.compactTombstones(storedBefore: Date.distantFuture).records == 0)
  }
}
