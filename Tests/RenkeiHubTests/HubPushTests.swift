import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

@Suite struct HubPushTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ scope: String, _ title: String) -> RecordFields {
    ["scope": .string(scope), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  func rowCount(_ hub: Hub, _ table: String) throws -> Int64 {
    try hub.database.prepare("SELECT count(*) FROM \(table)").firstRow()!.int64(0)
  }

  @Test func aRefusedBundleIsAuditedAndStoresNothing() throws {
    let hub = try Hub(path: ":memory:")
    let token = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
    let rogue = try replica("saitama", "19")
    try rogue.create(.event, fields: event("19", "よその研修"))
    let bundle = SyncBundle(
      direction: .push, site: rogue.site, createdAt: "2023-07-06T00:00:00Z", changes: try rogue.pendingChanges(), cursor: 0)
    let outsideItsScope = try SyncBundleSeal.seal(bundle, key: SyncBundleSeal.bundleKey(token: token.text))
    #expect(throws: HubError.self) { try hub.importBundle(outsideItsScope) }
    let forged = try SyncBundleSeal.seal(bundle, key: SyncBundleSeal.bundleKey(token: "rk_forged"))
    #expect(throws: HubError.self) { try hub.importBundle(forged) }
    #expect(throws: SyncBundleError.self) { try hub.importBundle(Data("not a bundle".utf8)) }

    let entries = try hub.auditEntries()
    #expect(entries.map(\.actor) == ["saitama", "saitama", Hub.anonymousActor])
    #expect(entries.map(\.scope?.rawValue) == ["11", "11", nil])
    #expect(entries.allSatisfy { $0.action == "refuse" && $0.detail["route"] == "bundle import" && $0.detail["code"] == "forbidden" })
    #expect(entries[0].reason.contains("outside"), "\(entries[0].reason)")
    #expect(try rowCount(hub, "changes") == 0 && rowCount(hub, "records") == 0)
  }

  @Test func aCreateWithAnIdTakenInAnotherScopeIsRefusedWithoutTellingThatRecord() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let yamanashi = try replica("yamanashi", "19")
    let id = try RecordID("fac-11-exec-1")
    try saitama.create(.fundEntry, id: id, fields: [
      "scope": .string("11"), "programme": .text("地域医療介護総合確保基金"), "kind": .string("execution"), "amount": .integer(1),
      "occurred_on": .string("2023-10-02"),
    ])
    try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    try yamanashi.create(.event, id: id, fields: event("19", "研修"))
    let refusal = #expect(throws: HubError.self) {
      try hub.push(try yamanashi.pendingChanges(), from: yamanashi.site, scope: yamanashi.scope)
    }
    #expect(refusal?.code == .invalidChange && refusal?.message.contains("belongs to a record of another scope") == true)
    #expect(refusal?.message.contains("fund") == false && refusal?.message.contains("scope 11") == false, "\(refusal?.message ?? "")")
    #expect(try rowCount(hub, "records") == 1)
  }

  @Test func aRepeatedPushStoresNothingNew() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    try saitama.create(.event, fields: event("11", "認知症セミナー"))
    let pending = try saitama.pendingChanges()
    #expect(try hub.push(pending, from: saitama.site, scope: saitama.scope).applied == 1)
    let again = try hub.push(pending, from: saitama.site, scope: saitama.scope)
    #expect(again.applied == 0 && again.acknowledgedSequence == 1)
    #expect(try rowCount(hub, "changes") == 1 && rowCount(hub, "versions") == 1)
  }

  /// The hub writes a record's fiscal year apart from the rest of its row, and only when it
  /// changes: an edit that moves a record to another year must move it in the ledger
  /// index, both as a fast-forward edit and as a concurrent one merged from history.
  @Test func anEditThatMovesTheFiscalYearMovesTheStoredYear() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let kanto = try replica("kanto", "kanto-shinetsu")
    func storedYear(_ id: RecordID) throws -> Int64? {
      try hub.database.prepare("SELECT fiscal_year FROM records WHERE id = ?").firstRow([.text(id.rawValue)])?.optionalInt64(0)
    }
    func sync(_ replica: Replica) throws {
      _ = try hub.push(try replica.pendingChanges(), from: replica.site, scope: replica.scope)
      try replica.acknowledge(through: try replica.pendingChanges().last?.sequence ?? 0)
      try replica.apply(try hub.pull(for: replica.scope, after: 0, limit: 100).entries, cursor: 0)
    }
    let id = try saitama.create(.event, fields: event("11", "認知症セミナー")).recordID
    try sync(saitama)
    #expect(try storedYear(id) == 2023)
    try saitama.update(id, fields: ["title": .text("認知症セミナー（第2回）")])
    try sync(saitama)
    #expect(try storedYear(id) == 2023)
    try saitama.update(id, fields: ["starts_on": .string("2024-04-01"), "fiscal_year": .integer(2024)])
    try sync(saitama)
    #expect(try storedYear(id) == 2024)
    // Concurrent edits: the bureau moves the year back while the prefecture edits the title.
    try sync(kanto)
    try kanto.update(id, fields: ["starts_on": .string("2024-03-29"), "fiscal_year": .integer(2023)])
    try saitama.update(id, fields: ["title": .text("認知症セミナー（延期）")])
    try sync(saitama)
    try sync(kanto)
    let current = try #require(try hub.record(id))
    #expect(current.state["fiscal_year"] == .integer(2023))
    #expect(try storedYear(id) == 2023)
  }

  @Test func aGapIsRefusedWithTheExpectedSequence() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    for title in ["一", "二", "三"] { try saitama.create(.event, fields: event("11", title)) }
    let pending = try saitama.pendingChanges()
    let error = #expect(throws: HubError.self) { try hub.push(Array(pending.dropFirst()), from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .sequenceGap && error?.expectedSequence == 1)
    #expect(try rowCount(hub, "changes") == 0)
  }

  @Test func oneChangeOutsideTheScopeRefusesTheWholePush() throws {
    let hub = try Hub(path: ":memory:")
    let bureau = try replica("kanto", "kanto-shinetsu")
    try bureau.create(.event, fields: event("11", "埼玉の研修"))
    try bureau.create(.event, fields: event("19", "山梨の研修"))
    // Pushed with only Saitama's rights, the Yamanashi change must sink the whole push.
    let error = #expect(throws: HubError.self) { try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: Scope("11")) }
    #expect(error?.code == .forbidden)
    #expect(try rowCount(hub, "changes") == 0 && rowCount(hub, "records") == 0)
  }

  /// A push counts writers' sequences and feed positions in memory and writes them when it
  /// ends: one refused partway must leave both as they were, in the database and in the
  /// hub's memory, and the next push must go on from them.
  @Test func aRefusedPushLeavesTheCountersAsTheyWere() throws {
    let hub = try Hub(path: ":memory:")
    let bureau = try replica("kanto", "kanto-shinetsu")
    func storedCounters() throws -> (sequence: Int64?, feed: String?) {
      (
        try hub.database.prepare("SELECT last_sequence FROM writers WHERE site = 'kanto'").firstRow()?.int64(0),
        try hub.database.prepare("SELECT value FROM hub_meta WHERE key = 'feed_position'").firstRow()?.string(0)
      )
    }
    for title in ["一", "二"] { try bureau.create(.event, fields: event("11", title)) }
    #expect(try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope).acknowledgedSequence == 2)
    try bureau.acknowledge(through: 2)
    #expect(try storedCounters() == (2, "2"))

    for title in ["三", "四"] { try bureau.create(.event, fields: event("11", title)) }
    try bureau.create(.event, fields: event("19", "山梨の研修"))
    let error = #expect(throws: HubError.self) { try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: Scope("11")) }
    #expect(error?.code == .forbidden)
    #expect(try storedCounters() == (2, "2"))
    #expect(try hub.lastSequence(of: bureau.writer) == 2)

    let result = try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope)
    #expect(result.applied == 3 && result.acknowledgedSequence == 5)
    #expect(try storedCounters() == (5, "5"))
    let positions = try hub.database.prepare("SELECT feed_position FROM records ORDER BY feed_position").rows().map { try $0.int64(0) }
    #expect(positions == [1, 2, 3, 4, 5])
  }

  /// A restored copy's new epoch and the lost replica's last changes can arrive in one push:
  /// each writer's row gets its own last sequence, and the push sent again stores nothing
  /// and gives out no feed position. A refused push nested in a caller's transaction leaves
  /// the counts as they were, inside that transaction and after it.
  @Test func onePushCountsEachWriterAndItsReplayCountsNothing() throws {
    let hub = try Hub(path: ":memory:")
    func feedCounter() throws -> String? {
      try hub.database.prepare("SELECT value FROM hub_meta WHERE key = 'feed_position'").firstRow()?.string(0)
    }
    let lost = try replica("kanto", "kanto-shinetsu")
    for index in 0..<3 { try lost.create(.event, fields: event("11", "旧\(index)")) }
    try hub.push(try lost.pendingChanges(), from: lost.site, scope: lost.scope)
    try lost.acknowledge(through: 3)
    try lost.create(.event, fields: event("11", "旧3"))
    let restored = try replica("kanto", "kanto-shinetsu")
    try restored.beginNewEpoch(after: 1)
    for index in 0..<2 { try restored.create(.event, fields: event("11", "新\(index)")) }
    let both = try lost.pendingChanges() + restored.pendingChanges()

    let result = try hub.push(both, from: lost.site, scope: lost.scope)
    #expect(result.applied == 3 && result.acknowledgedSequence == 2)
    let writers = try hub.database.prepare("SELECT epoch, last_sequence FROM writers ORDER BY epoch").rows().map {
      [try $0.int64(0), try $0.int64(1)]
    }
    #expect(writers == [[1, 4], [2, 2]])
    #expect(try hub.latestEpoch(of: lost.site) == 2)
    #expect(try feedCounter() == "6")

    let again = try hub.push(both, from: lost.site, scope: lost.scope)
    #expect(again.applied == 0 && again.acknowledgedSequence == 2)
    #expect(try feedCounter() == "6")

    try lost.create(.event, fields: event("11", "旧4"))
    try lost.create(.event, fields: event("11", "旧5"))
    let gap = Array(try lost.pendingChanges().suffix(1))
    let inside = try hub.database.inTransaction { () throws -> UInt64 in
      #expect(throws: HubError.self) { try hub.push(gap, from: lost.site, scope: lost.scope) }
      return try hub.lastSequence(of: lost.writer)
    }
    #expect(inside == 4)
    #expect(try hub.lastSequence(of: lost.writer) == 4)
    #expect(try feedCounter() == "6")
  }

  @Test func aSiteCannotPushAnotherSitesChanges() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    try saitama.create(.event, fields: event("11", "研修"))
    let error = #expect(throws: HubError.self) {
      try hub.push(try saitama.pendingChanges(), from: SiteID(rawValue: "kanto")!, scope: Scope("kanto-shinetsu"))
    }
    #expect(error?.code == .forbidden)
  }

  @Test func aVectorThatAdvancesAnotherSitesEntryIsRefused() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    try saitama.create(.event, fields: event("11", "研修"))
    try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    try saitama.acknowledge(through: 1)
    var forged = try saitama.update(try saitama.records()[0].id, fields: ["title": .text("改題")])
    forged.vector = forged.vector.merged(with: VersionVector([WriterID(site: SiteID(rawValue: "kanto")!, epoch: 1): 5]))
    let error = #expect(throws: HubError.self) { try hub.push([forged], from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .unknownParent)
  }

  @Test func aPrefecturePullsOnlyWhatItMayRead() throws {
    let hub = try Hub(path: ":memory:")
    let bureau = try replica("kanto", "kanto-shinetsu")
    try bureau.create(.event, fields: event("kanto-shinetsu", "都県協議会"))
    try bureau.create(.event, fields: event("11", "埼玉の研修"))
    try bureau.create(.event, fields: event("19", "山梨の研修"))
    try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope)
    let saitama = try hub.pull(for: Scope("11"), after: 0, limit: 100)
    #expect(Set(saitama.entries.map(\.scope.rawValue)) == ["kanto-shinetsu", "11"])
    let tohoku = try hub.pull(for: Scope("tohoku"), after: 0, limit: 100)
    #expect(tohoku.entries.isEmpty)
    // Pages resume from the cursor.
    let first = try hub.pull(for: Scope("kanto-shinetsu"), after: 0, limit: 2)
    let second = try hub.pull(for: Scope("kanto-shinetsu"), after: first.cursor, limit: 2)
    #expect(first.entries.count == 2 && first.hasMore && second.entries.count == 1 && !second.hasMore)
  }

  @Test func aThousandOfflineEditsOnEachSideMakeOneConflictWithTwoSides() throws {
    let hub = try Hub(path: ":memory:")
    let bureau = try replica("kanto", "kanto-shinetsu")
    let saitama = try replica("saitama", "11")
    let created = try bureau.create(.event, fields: event("11", "研修"))
    try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope)
    try bureau.acknowledge(through: 1)
    let page = try hub.pull(for: saitama.scope, after: 0, limit: 10)
    try saitama.apply(page.entries, cursor: page.cursor)
    for round in 1...1000 {
      try bureau.update(created.recordID, fields: ["venue": .text("会場B\(round)")])
      try saitama.update(created.recordID, fields: ["venue": .text("会場S\(round)")])
    }
    for site in [bureau, saitama] {
      while true {
        let pending = try site.pendingChanges(limit: 200)
        if pending.isEmpty { break }
        try site.acknowledge(through: try hub.push(pending, from: site.site, scope: site.scope).acknowledgedSequence)
      }
    }
    let conflicts = try hub.openConflicts()
    #expect(conflicts.count == 1)
    #expect(conflicts.first?.sides.count == 2)
    #expect(conflicts.first?.fields == [FieldConflict(field: "venue", rule: .differentValues)])
  }
}
