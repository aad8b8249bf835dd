import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiStore
import Testing

/// A deletion is compacted only once every site that may read it has stored it: a replica
/// says how far it has stored the feed when it pulls (or in a bundle), the hub notes it when
/// a pull reaches the feed's end, and compaction waits for the sites behind.
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

      // Saitama pulls the whole feed: what it has stored is noted only when a pull that
      // says so reaches the end, and only as far as it says.
      let first = try server.pull(as: "saitama", after: 0, limit: 1, stored: 0)
      #expect(first.hasMore && first.entries.map(\.version.recordID) == [kept])
      let last = try server.pull(as: "saitama", after: first.cursor, limit: 1, stored: 0)
      #expect(!last.hasMore && last.entries.map(\.version.recordID) == [deleted])
      #expect(try site(hub, "saitama").pulledThrough == 0 && site(hub, "saitama").lastPulledAt != nil)
      #expect(try hub.compactTombstones(storedBefore: .distantFuture).waitingFor.map(\.rawValue) == ["kanto", "saitama"])
      // Its next sync starts from what it stored, and reaches the end at once.
      _ = try server.pull(as: "saitama", after: last.cursor, stored: last.cursor)
      #expect(try site(hub, "saitama").pulledThrough == last.cursor)

      // A replica never holds more than it asks after, nor more than the feed has given;
      // one restored from an old copy asks from further back; a pull that does not say
      // what it stored notes nothing. None of them moves the mark.
      _ = try server.pull(as: "saitama", after: 1, stored: last.cursor + 1)
      _ = try server.pull(as: "saitama", after: last.cursor + 1_000, stored: last.cursor + 1_000)
      _ = try server.pull(as: "saitama", after: 0, stored: 0)
      _ = try server.pull(as: "saitama", after: last.cursor)
      #expect(try site(hub, "saitama").pulledThrough == last.cursor)
      let refused = try server.get("/v1/pull?after=0&stored=-1", as: "saitama")
      #expect(refused.status == 400 && refused.text.contains("stored must be one whole number"), "\(refused.text)")

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

  /// Noting a pull is bookkeeping: when it fails, the page is served all the same, and the
  /// log says so once for the run of failures, and once when it works again.
  @Test func aPullIsServedWhenItCannotBeNoted() throws {
    let scratch = try ScratchHubFile("pull-note")
    defer { scratch.remove() }
    let path = scratch.path
    let hub = try Hub(path: path)
    let token = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
    let saitama = try replica("saitama", "11")
    _ = try saitama.create(.event, fields: event("認知症セミナー"))
    try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    let failing = "CREATE TRIGGER refuse_notes BEFORE UPDATE ON sites BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
    try hub.database.execute(failing)
    let log = HubCheckpointLogTests.LogLines()
    let service = HubService(hub: hub, log: log.append)
    let other = try Database(path: path)
    defer { other.close() }
    func pull(stored: Int) throws -> HTTPResponse {
      let request = try #require(
        HTTPRequest(method: .get, target: "/v1/pull?after=\(stored)&stored=\(stored)", headers: ["Authorization": "Bearer \(token.text)"]))
      return service.respond(to: request)
    }
    func mark() throws -> Int64 { try #require(try other.prepare("SELECT pulled_through FROM sites").firstRow()).int64(0) }

    let pages = try (0..<3).map { _ in try pull(stored: 1) }
    #expect(pages.allSatisfy { $0.status.code == 200 })
    #expect(try mark() == 0)
    #expect(log.count("warning: could not note how far saitama has pulled") == 1 && log.count("the disk is full") == 1)

    try other.execute("DROP TRIGGER refuse_notes")
    #expect(try pull(stored: 1).status.code == 200)
    #expect(try mark() == 1)
    #expect(log.count("noting how far each site has pulled works again") == 1)
    #expect(log.count("warning: could not note") == 1)
  }

  /// A bureau's record is read by the bureau and each of its prefectures, and by no other
  /// bureau's; a site registered after the deletion never held the record.
  @Test func aBureauDeletionWaitsForItsOwnPrefecturesOnly() throws {
    let hub = try Hub(path: ":memory:")
    for (name, role, scope) in [
      ("saitama", SiteRole.prefecture, "11"), ("kanto", .bureau, "kanto-shinetsu"), ("aomori", .prefecture, "02"),
      ("tohoku", .bureau, "tohoku"),
    ] {
      _ = try hub.addSite(SiteID(rawValue: name)!, role: role, scope: Scope(scope))
    }
    let kanto = try replica("kanto", "kanto-shinetsu")
    let fields = event("関東信越ブロック会議").merging(["scope": .string("kanto-shinetsu")]) { $1 }
    let id = try kanto.create(.event, fields: fields).recordID
    _ = try kanto.delete(id)
    try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope)
    _ = try hub.addSite(SiteID(rawValue: "nagano")!, role: .prefecture, scope: Scope("20"))

    let compaction = try hub.compactTombstones(storedBefore: .distantFuture)
    #expect(compaction.records == 0 && compaction.waitingFor.map(\.rawValue) == ["kanto", "saitama"])
    #expect(try site(hub, "nagano").pulledThrough > 0)
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
    let everyone: Set = [SiteID(rawValue: "kanto")!, SiteID(rawValue: "saitama")!]
    let compaction = try hub.compactTombstones(storedBefore: .distantFuture, ignoring: everyone)
    #expect(compaction.records == 1 && compaction.waitingFor.isEmpty)
  }

  /// A bundle carries the cursor its office had stored when it wrote it.
  @Test func aBundleSaysWhatItsOfficeHasStored() throws {
    let hub = try Hub(path: ":memory:")
    let token = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
    let key = SyncBundleSeal.bundleKey(token: token.text)
    let saitama = try replica("saitama", "11")
    let id = try saitama.create(.event, fields: event("認知症セミナー")).recordID
    _ = try saitama.delete(id)
    let bundle = SyncBundle(
      direction: .push, site: saitama.site, createdAt: "2023-07-06T00:00:00Z", changes: try saitama.pendingChanges(), cursor: 0)
    let (reply, _) = try hub.importBundle(try SyncBundleSeal.seal(bundle, key: key))
    #expect(try site(hub, "saitama").pulledThrough == 0 && site(hub, "saitama").lastPulledAt != nil)
    #expect(try hub.compactTombstones(storedBefore: .distantFuture).waitingFor.map(\.rawValue) == ["saitama"])

    // The office stores the reply, and its next bundle starts from the reply's cursor.
    let stored = try SyncBundleSeal.open(reply, key: key).cursor
    let next = SyncBundle(direction: .push, site: saitama.site, createdAt: "2023-07-07T00:00:00Z", changes: [], cursor: stored)
    _ = try hub.importBundle(try SyncBundleSeal.seal(next, key: key))
    #expect(try site(hub, "saitama").pulledThrough == stored && stored > 0)
    #expect(try hub.compactTombstones(storedBefore: .distantFuture).records == 1)
  }
}
