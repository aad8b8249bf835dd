import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// A deletion is compacted only once the hub has sent it to every site that may read it:
/// the hub notes how far each site has been sent the feed when one of its pulls (or bundle
/// replies) reaches the end, and compaction waits for the sites behind.
@Suite struct CompactionWaitTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ title: String) -> RecordFields {
    ["scope": .string("11"), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  func site(_ hub: Hub, _ name: String) throws -> SiteRegistration {
    try #require(try hub.site(named: SiteID(rawValue: name)!))
  }

  @Test func aDeletionWaitsForEverySiteThatMayReadItAndOnlyThose() throws {
    try HubServiceTests().withHub { server in
      let saitama = try replica("saitama", "11")
      let kept = try saitama.create(.event, fields: event("地域ケア会議")).recordID
      let deleted = try saitama.create(.event, fields: event("認知症セミナー")).recordID
      _ = try saitama.delete(deleted)
      #expect(try server.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      let hub = try Hub(path: HubServer.databasePath(in: server.directory))
      defer { hub.database.close() }

      // Saitama (11) and the bureau may read the record and were sent nothing yet; Yamanashi
      // (19) may not read it, and the administrator's site holds no replica.
      var compaction = try hub.compactTombstones(storedBefore: .distantFuture)
      #expect(compaction.records == 0 && compaction.heldBack == 1)
      #expect(compaction.waitingFor.map(\.rawValue) == ["kanto", "saitama"])
      #expect(try hub.record(deleted)?.state.fields.isEmpty == false)

      // A page with more to come notes nothing; the page that reaches the end does.
      let first = try server.pull(as: "saitama", after: 0, limit: 1)
      #expect(first.hasMore && first.entries.map(\.version.recordID) == [kept])
      #expect(try site(hub, "saitama").pulledThrough == 0 && site(hub, "saitama").lastPulledAt == nil)
      let last = try server.pull(as: "saitama", after: first.cursor, limit: 1)
      #expect(!last.hasMore && last.entries.map(\.version.recordID) == [deleted])
      #expect(try site(hub, "saitama").pulledThrough == last.cursor && site(hub, "saitama").lastPulledAt != nil)

      // Asked from beyond the feed's end, or again from its start, the mark stays where it is.
      _ = try server.pull(as: "saitama", after: last.cursor + 1_000)
      _ = try server.pull(as: "saitama", after: 0)
      #expect(try site(hub, "saitama").pulledThrough == last.cursor)

      compaction = try hub.compactTombstones(storedBefore: .distantFuture)
      #expect(compaction.records == 0 && compaction.waitingFor.map(\.rawValue) == ["kanto"])
      #expect(throws: HubError.self) { try hub.compactTombstones(storedBefore: .distantFuture, ignoring: [SiteID(rawValue: "nagano")!]) }

      // The bureau's site is revoked: it will never pull again, so it is not waited for.
      try server.revoke("kanto")
      compaction = try hub.compactTombstones(storedBefore: .distantFuture)
      #expect(compaction.records == 1 && compaction.heldBack == 0 && compaction.waitingFor.isEmpty)
      #expect(try hub.record(deleted)?.state.fields.isEmpty == true)
      #expect(try hub.record(kept)?.state.fields.isEmpty == false)
    }
  }

  @Test func aSiteNamedAsIgnoredIsNotWaitedFor() throws {
    let hub = try Hub(path: ":memory:")
    for (name, role, scope) in [("saitama", SiteRole.prefecture, "11"), ("kanto", .bureau, "kanto-shinetsu")] {
      _ = try hub.addSite(SiteID(rawValue: name)!, role: role, scope: Scope(scope))
    }
    let saitama = try replica("saitama", "11")
    let id = try saitama.create(.event, fields: event("認知症セミナー")).recordID
    _ = try saitama.delete(id)
    try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)

    let waiting = try hub.compactTombstones(storedBefore: .distantFuture, ignoring: [SiteID(rawValue: "kanto")!])
    #expect(waiting.records == 0 && waiting.waitingFor.map(\.rawValue) == ["saitama"])
    let compaction = try hub.compactTombstones(storedBefore: .distantFuture, ignoring: [SiteID(rawValue: "kanto")!, SiteID(rawValue: "saitama")!])
    #expect(compaction.records == 1 && compaction.waitingFor.isEmpty)
  }

  @Test func aBundleReplyCountsAsSent() throws {
    let hub = try Hub(path: ":memory:")
    let token = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
    let saitama = try replica("saitama", "11")
    let id = try saitama.create(.event, fields: event("認知症セミナー")).recordID
    _ = try saitama.delete(id)
    let bundle = SyncBundle(
      direction: .push, site: saitama.site, createdAt: "2023-07-06T00:00:00Z", changes: try saitama.pendingChanges(), cursor: 0)
    #expect(try hub.compactTombstones(storedBefore: .distantFuture).heldBack == 0, "nothing is deleted before the bundle")
    _ = try hub.importBundle(try SyncBundleSeal.seal(bundle, key: SyncBundleSeal.bundleKey(token: token.text)))
    let registration = try site(hub, "saitama")
    #expect(registration.pulledThrough > 0 && registration.lastPulledAt != nil)
    #expect(try hub.compactTombstones(storedBefore: .distantFuture).records == 1)
  }
}
