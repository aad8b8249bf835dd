import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The hub keeps each record's history as a chain of versions, newest last: the walk back
/// through it must find every version a merge needs, however far back, and a damaged chain
/// must refuse the push instead of merging against a partial history.
@Suite struct HubHistoryChainTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ title: String) -> RecordFields {
    ["scope": .string("11"), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  func sync(_ replica: Replica, with hub: Hub) throws {
    let pending = try replica.pendingChanges()
    _ = try hub.push(pending, from: replica.site, scope: replica.scope)
    try replica.acknowledge(through: pending.last?.sequence ?? 0)
    try replica.apply(try hub.pull(for: replica.scope, after: 0, limit: 1000).entries, cursor: 0)
  }

  /// (number, previous) of the record's versions, in the order they were stored, and the
  /// number its record names as the last.
  func chain(_ hub: Hub, _ id: RecordID) throws -> (links: [(row: Int64, previous: Int64?)], last: Int64?) {
    let links = try hub.database.prepare("SELECT number, previous FROM versions WHERE record_id = ? ORDER BY number")
      .rows([.text(id.rawValue)]).map { (try $0.int64(0), try $0.optionalInt64(1)) }
    let last = try hub.database.prepare("SELECT last_version FROM records WHERE id = ?").firstRow([.text(id.rawValue)])?
      .optionalInt64(0)
    return (links, last)
  }

  @Test func eachVersionNamesTheOneStoredBeforeItAndTheRecordNamesTheLast() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let first = try saitama.create(.event, fields: event("研修")).recordID
    let second = try saitama.create(.event, fields: event("会議")).recordID
    try saitama.update(first, fields: ["title": .text("研修（第2回）")])
    try saitama.update(second, fields: ["title": .text("会議（第2回）")])
    try saitama.update(first, fields: ["title": .text("研修（第3回）")])
    try sync(saitama, with: hub)

    let chain = try chain(hub, first)
    #expect(chain.links.count == 3)
    #expect(chain.links.map(\.previous) == [nil, chain.links[0].row, chain.links[1].row])
    #expect(chain.last == chain.links.last?.row)
    #expect(try hub.history(of: first)?.versions.count == 3)
    #expect(try hub.history(of: second)?.versions.count == 2)
  }

  /// The bureau edits the version it pulled long ago while the prefecture went on editing:
  /// the merge needs that old version (the edit's parent and the merge's base) from the far
  /// end of the chain.
  @Test func aConcurrentEditOnAnOldVersionFindsItFarBack() throws {
    let (hub, kanto, id) = try eventTheBureauPulledBefore(editsSince: 39)
    try kanto.update(id, fields: ["venue": .text("さいたま市民会館")])
    let result = try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope)

    #expect(result.applied == 1 && result.conflicts.isEmpty)
    let current = try #require(try hub.record(id))
    #expect(current.state["title"] == .text("研修（第40回）") && current.state["venue"] == .text("さいたま市民会館"))
    #expect(try hub.history(of: id)?.versions.count == 41)
    #expect(try chain(hub, id).links.count == 41)
  }

  /// VACUUM may renumber a table's plain rowids; the chain's links and the feed's entries
  /// name numbers it keeps. Compaction first leaves gaps for it to close.
  @Test func theHistoryAndTheFeedSurviveVacuum() throws {
    let hub = try Hub(path: ":memory:")
    hub.now = { Date(timeIntervalSince1970: 1_750_000_000) }
    let saitama = try replica("saitama", "11")
    let kanto = try replica("kanto", "kanto-shinetsu")
    let gone = try saitama.create(.event, fields: event("中止の研修")).recordID
    let kept = try saitama.create(.event, fields: event("研修")).recordID
    for round in 2...4 {
      try saitama.update(gone, fields: ["title": .text("中止の研修（第\(round)回）")])
      try saitama.update(kept, fields: ["title": .text("研修（第\(round)回）")])
      try sync(saitama, with: hub)
      if round == 2 { try sync(kanto, with: hub) }
    }
    try saitama.delete(gone)
    try sync(saitama, with: hub)
    #expect(try hub.compactTombstones(storedBefore: Date(timeIntervalSince1970: 1_750_000_000)).versionsDropped == 4)
    let before = try chain(hub, kept)
    try hub.database.execute("VACUUM")
    #expect(try chain(hub, kept).links.map(\.row) == before.links.map(\.row) && chain(hub, kept).last == before.last)

    // The bureau's edit of version 2 needs the chain's far end; the pull needs the feed.
    try kanto.update(kept, fields: ["venue": .text("さいたま市民会館")])
    #expect(try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope).conflicts.isEmpty)
    let current = try #require(try hub.record(kept))
    #expect(current.state["title"] == .text("研修（第4回）") && current.state["venue"] == .text("さいたま市民会館"))
    let pulled = try hub.pull(for: Scope("11"), after: 0, limit: 10).entries.map(\.version.recordID)
    #expect(pulled == [gone, kept])
  }

  @Test func aChainThatLoopsRefusesThePushAndChangesNothing() throws {
    try expectDamagedChainRefuses("loops") { hub, links in
      // The oldest version names the newest as its predecessor: walking would never end.
      try hub.database.prepare("UPDATE versions SET previous = ? WHERE number = ?").execute([.integer(links.last!), .integer(links[0])])
    }
  }

  @Test func aChainThatLeadsNowhereRefusesThePushAndChangesNothing() throws {
    try expectDamagedChainRefuses("broken") { hub, links in
      try hub.database.prepare("DELETE FROM versions WHERE number = ?").execute([.integer(links[0])])
    }
  }

  @Test func aChainThatLeadsIntoAnotherRecordRefusesThePushAndChangesNothing() throws {
    try expectDamagedChainRefuses("broken") { hub, links in
      try hub.database.prepare("UPDATE versions SET record_id = 'e-00000000-0000-4000-8000-000000000000' WHERE rowid = ?")
        .execute([.integer(links[0])])
    }
  }

  /// Saitama creates an event, the bureau pulls it, then Saitama edits it `edits` times,
  /// syncing each: the bureau's replica still holds the first version.
  private func eventTheBureauPulledBefore(editsSince edits: Int) throws -> (hub: Hub, bureau: Replica, id: RecordID) {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let kanto = try replica("kanto", "kanto-shinetsu")
    let id = try saitama.create(.event, fields: event("研修")).recordID
    try sync(saitama, with: hub)
    try sync(kanto, with: hub)
    for round in 2..<(2 + edits) {
      try saitama.update(id, fields: ["title": .text("研修（第\(round)回）")])
      try sync(saitama, with: hub)
    }
    return (hub, kanto, id)
  }

  /// Damages the chain of a record with three versions, then pushes a concurrent edit of its
  /// first version, which makes the hub walk the chain to its end.
  private func expectDamagedChainRefuses(_ word: String, _ damage: (Hub, [Int64]) throws -> Void) throws {
    let (hub, kanto, id) = try eventTheBureauPulledBefore(editsSince: 2)
    let links = try chain(hub, id).links.map(\.row)
    #expect(links.count == 3)
    try damage(hub, links)
    let before = try HubSchemaUpgradeTests.rows(hub.database)

    try kanto.update(id, fields: ["venue": .text("さいたま市民会館")])
    let error = try #require(throws: HubStorageError.self) {
      try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope)
    }
    #expect(error.message.contains(word) && error.message.contains(id.rawValue), "\(error.message)")
    #expect(try HubSchemaUpgradeTests.rows(hub.database) == before)
  }
}
