import Foundation
import RenkeiCore
@testable import RenkeiHub
import RenkeiStore
import RenkeiTestSupport
import Testing

/// The pull feed is a log: an edit adds its record's entry at the end and leaves the old
/// one, which pulls skip. A record must still come once per pull, at its latest position,
/// pages must still be full when superseded entries lie in their way, and compaction must
/// drop those entries without changing a single page.
@Suite struct HubFeedLogTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ scope: String, _ title: String) -> RecordFields {
    ["scope": .string(scope), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  func push(_ replica: Replica, to hub: Hub) throws {
    let pending = try replica.pendingChanges()
    try replica.acknowledge(through: try hub.push(pending, from: replica.site, scope: replica.scope).acknowledgedSequence)
  }

  /// Every page `scope` pulls from the start, `limit` entries at a time, as the wire carries them.
  func pages(_ hub: Hub, _ scope: String, limit: Int) throws -> [[UInt8]] {
    var pages: [[UInt8]] = []
    var cursor: UInt64 = 0
    while true {
      pages.append(try hub.pullJSON(for: Scope(scope), after: cursor, limit: limit))
      let page = try hub.pull(for: Scope(scope), after: cursor, limit: limit)
      guard page.hasMore else { return pages }
      cursor = page.cursor
    }
  }

  func feedEntries(_ hub: Hub) throws -> Int64 {
    try hub.database.prepare("SELECT count(*) FROM feed").firstRow()!.int64(0)
  }

  @Test func aRecordEditedOftenComesOnceAtItsLatestPositionAndPagesStayFull() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let chiba = try replica("chiba", "12")
    let often = try saitama.create(.event, fields: event("11", "研修")).recordID
    let others = try (0..<4).map { try saitama.create(.event, fields: event("11", "会議\($0)")).recordID }
    _ = try chiba.create(.event, fields: event("12", "千葉の研修"))
    try push(saitama, to: hub)
    try push(chiba, to: hub)
    // Each edit pushed on its own: forty superseded entries of one record, before the others'.
    for round in 2...41 {
      try saitama.update(often, fields: ["title": .text("研修（第\(round)回）")])
      try push(saitama, to: hub)
    }
    #expect(try feedEntries(hub) == 46)

    // Two at a time: the first page must skip the superseded entries and still hold two.
    let first = try hub.pull(for: Scope("11"), after: 0, limit: 2)
    #expect(first.entries.map(\.version.recordID) == Array(others.prefix(2)) && first.hasMore)
    var pulled: [RecordID] = []
    var cursor: UInt64 = 0
    var more = true
    while more {
      let page = try hub.pull(for: Scope("11"), after: cursor, limit: 2)
      #expect(!page.entries.isEmpty)
      pulled += page.entries.map(\.version.recordID)
      cursor = page.cursor
      more = page.hasMore
    }
    #expect(pulled == others + [often])
    #expect(try hub.pull(for: Scope("11"), after: cursor, limit: 2).entries.isEmpty)
    let latest = try hub.pull(for: Scope("kanto-shinetsu"), after: 0, limit: 100).entries
    #expect(latest.count == 6 && latest.last?.version.state["title"] == .text("研修（第41回）"))
  }

  @Test func compactionDropsSupersededEntriesAndNoPageChanges() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    var ids: [RecordID] = []
    for index in 0..<12 { ids.append(try saitama.create(.event, fields: event("11", "研修\(index)")).recordID) }
    try push(saitama, to: hub)
    for (offset, id) in ids.enumerated() where offset % 3 != 0 {
      for round in 0..<(offset % 4 + 1) {
        try saitama.update(id, fields: ["title": .text("研修\(offset)（\(round)）")])
        try push(saitama, to: hub)
      }
    }
    let before = try [1, 5, 100].flatMap { try pages(hub, "11", limit: $0) + pages(hub, "kanto-shinetsu", limit: $0) }
    let entries = try feedEntries(hub)
    #expect(entries > 12)

    let compaction = try hub.compactTombstones(storedBefore: Date())
    #expect(compaction.records == 0 && Int64(compaction.feedEntriesDropped) == entries - 12)
    #expect(try feedEntries(hub) == 12)
    #expect(try [1, 5, 100].flatMap { try pages(hub, "11", limit: $0) + pages(hub, "kanto-shinetsu", limit: $0) } == before)
    #expect(try hub.compactTombstones(storedBefore: Date()).feedEntriesDropped == 0)
  }

  /// The feed is cleaned a slice at a time: slices that end inside a scope, on a superseded
  /// entry or between scopes must drop every superseded entry and nothing else.
  @Test(arguments: [1, 2, 3, 7, 10_000])
  func supersededEntriesAreDroppedAcrossSliceBoundaries(slice: Int) throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica("saitama", "11")
    let chiba = try replica("chiba", "12")
    var edited: [(Replica, RecordID)] = []
    for (replica, scope) in [(saitama, "11"), (chiba, "12")] {
      for index in 0..<5 {
        let id = try replica.create(.event, fields: event(scope, "研修\(index)")).recordID
        if index % 2 == 0 { edited.append((replica, id)) }
      }
      try push(replica, to: hub)
    }
    for round in 0..<3 {
      for (replica, id) in edited {
        try replica.update(id, fields: ["title": .text("研修（\(round)）")])
        try push(replica, to: hub)
      }
    }
    func allPages() throws -> [[UInt8]] {
      try [1, 4].flatMap { try pages(hub, "11", limit: $0) + pages(hub, "12", limit: $0) + pages(hub, "kanto-shinetsu", limit: $0) }
    }
    let before = try allPages()
    #expect(try feedEntries(hub) == 10 + 3 * 6)

    #expect(try hub.dropSupersededFeedEntries(slice: slice) == 18)
    #expect(try feedEntries(hub) == 10)
    #expect(try allPages() == before)
    #expect(try hub.dropSupersededFeedEntries(slice: slice) == 0)
  }

  /// Every scope's pull, page by page, must give what a plain query of the records gives:
  /// the records it may read, each once, in the order of their latest feed positions. A
  /// bureau walks the feed in position order and a prefecture merges one range per scope,
  /// so both ways are held to it, with superseded entries in the way, pages of one, and a
  /// record of another bureau's prefecture that neither may read.
  @Test(arguments: [1, 3, 50])
  func everyScopePullsWhatItsRecordsSayInFeedOrder(limit: Int) throws {
    let hub = try Hub(path: ":memory:")
    // 11 and 12 are 関東信越's prefectures, 01 (北海道) is another bureau's.
    let scopes = ["11", "12", "kanto-shinetsu", "01"]
    let replicas = try scopes.map { try replica("site-\($0)", $0) }
    var generator = SplitMix64(seed: UInt64(limit))
    var created: [(replica: Replica, id: RecordID)] = []
    for round in 0..<60 {
      let replica = replicas[Int.random(in: 0..<replicas.count, using: &generator)]
      if created.isEmpty || Bool.random(using: &generator) {
        let scope = replica.scope.rawValue
        created.append((replica, try replica.create(.event, fields: event(scope, "研修\(round)")).recordID))
      } else {
        let (owner, id) = created[Int.random(in: 0..<created.count, using: &generator)]
        try owner.update(id, fields: ["title": .text("研修（第\(round)回）")])
      }
      if Int.random(in: 0..<3, using: &generator) == 0 { try replicas.forEach { try push($0, to: hub) } }
    }
    try replicas.forEach { try push($0, to: hub) }
    #expect(try feedEntries(hub) > Int64(created.count))

    for scope in ["11", "12", "kanto-shinetsu", "01", "hokkaido"] {
      let readable = try Scope(scope).readableScopes.map { DatabaseValue.text($0.rawValue) }
      let placeholders = Array(repeating: "?", count: readable.count).joined(separator: ", ")
      let expected = try hub.database.prepare(
        "SELECT id, feed_position FROM records WHERE scope IN (\(placeholders)) ORDER BY feed_position"
      ).rows(readable).map { "\(try $0.string(0))@\(try $0.int64(1))" }
      var pulled: [String] = []
      var cursor: UInt64 = 0
      var pages = 0
      while true {
        let page = try hub.pull(for: Scope(scope), after: cursor, limit: limit)
        #expect(page.entries.count == limit || !page.hasMore, "a page before the last is full")
        pulled += page.entries.map { "\($0.version.recordID.rawValue)@\($0.position)" }
        cursor = page.cursor
        pages += 1
        guard page.hasMore, pages < 1_000 else { break }
      }
      #expect(!expected.isEmpty)
      #expect(pulled == expected, "scope \(scope)")
    }
  }
}
