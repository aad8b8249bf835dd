import Foundation
import RenkeiCore
@testable import RenkeiHub
import RenkeiStore
import Testing

/// Upgrading a hub that already holds data: every row survives the rebuilt tables, pulls
/// read the same feed, and the hub goes on merging exactly as one that never upgraded.
/// Also the page size of a hub's file: new, upgraded, and restored from a backup.
@Suite struct HubSchemaUpgradeTests {
  static let beforeFrontierOnRecords = "006-audit-scope-and-coalescing"

  /// Every stored row, in an order that does not depend on how the tables are keyed; the
  /// records with their rowids, which the pull feed refers to.
  static let rowQueries = [
    "SELECT * FROM changes ORDER BY site, epoch, sequence", "SELECT * FROM versions ORDER BY record_id, vector",
    "SELECT rowid, * FROM records ORDER BY rowid",
    // The feed's live entries: an upgrade writes no superseded ones (see migration 009).
    "SELECT f.* FROM feed f JOIN records r ON r.rowid = f.record AND r.feed_position = f.position ORDER BY f.scope, f.position",
    "SELECT * FROM writers ORDER BY site, epoch", "SELECT * FROM hub_meta ORDER BY key",
    "SELECT * FROM conflicts ORDER BY id", "SELECT * FROM audit ORDER BY id",
  ]

  static func rows(_ database: Database) throws -> [[[DatabaseValue]]] {
    try rowQueries.map { try database.prepare($0).rows().map(\.values) }
  }

  static func feed(_ hub: Hub) throws -> [[UInt8]] {
    try ["kanto-shinetsu", "11", "19"].map { try hub.pullJSON(for: Scope($0), after: 0, limit: 10_000) }
  }

  @Test func aNewHubDatabaseHasSmallPages() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-pages-\(UUID().uuidString).sqlite").path
    defer {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    let hub = try Hub(path: path)
    defer { hub.database.close() }
    #expect(try hub.database.prepare("PRAGMA page_size").firstRow()?.int64(0) == 2048)
    #expect(try hub.database.prepare("PRAGMA journal_mode").firstRow()?.string(0) == "wal")
  }

  /// A backup of a hub with small pages is restored with them, and the hub goes on.
  @Test func aHubWithSmallPagesBacksUpAndRestores() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-pages-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    try FileManager.default.createDirectory(atPath: base + "/hub", withIntermediateDirectories: true)
    let hub = try Hub(path: HubServer.databasePath(in: base + "/hub"))
    let bureau = try Replica.create(at: ":memory:", site: SiteID(rawValue: "kanto")!, scope: Scope("kanto-shinetsu"), author: "kanto")
    func event(_ title: String) -> RecordFields {
      ["scope": .string("11"), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
    }
    for index in 0..<300 { try bureau.create(.event, fields: event("研修\(index)")) }
    try hub.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope)
    _ = try HubBackup.backup(directory: base + "/hub", to: base + "/backup.sqlite")
    hub.database.close()

    try HubBackup.restore(from: base + "/backup.sqlite", into: base + "/restored")
    let restored = try Hub(path: HubServer.databasePath(in: base + "/restored"))
    defer { restored.database.close() }
    #expect(try restored.database.prepare("PRAGMA page_size").firstRow()?.int64(0) == 2048)
    #expect(try restored.database.prepare("PRAGMA journal_mode").firstRow()?.string(0) == "wal")
    #expect(try restored.database.integrityCheck() == ["ok"])
    #expect(try restored.database.prepare("SELECT count(*) FROM records").firstRow()?.int64(0) == 300)
    try bureau.acknowledge(through: 300)
    try bureau.create(.event, fields: event("後"))
    #expect(try restored.push(try bureau.pendingChanges(), from: bureau.site, scope: bureau.scope).acknowledgedSequence == 301)
  }

  @Test func movingTheFrontierOntoRecordsKeepsEveryRowAndTheFeed() throws {
    var simulation = try ConvergenceSimulation(seed: 20_240_517)
    try simulation.run(steps: 400)
    let current = simulation.hub
    let counts = try ["versions", "records", "conflicts"].map {
      try current.database.prepare("SELECT count(*) FROM \($0)").firstRow()!.int64(0)
    }
    let frontiers = try current.database.prepare("SELECT id, frontier FROM records").rows().map {
      (id: try $0.string(0), vectors: try CanonicalJSON.decode([VersionVector].self, from: try $0.string(1)))
    }
    let multiVersionFrontiers = frontiers.filter { $0.vectors.count > 1 }.count
    // The history must hold what the rebuilt tables carry: several versions per record,
    // frontiers of concurrent versions, and conflicts.
    #expect(counts[0] > counts[1] && counts[2] > 0 && multiVersionFrontiers > 0, "\(counts), \(multiVersionFrontiers)")

    let path = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-upgrade-\(UUID().uuidString).sqlite").path
    defer {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    // A hub as the release before the frontier moved left it, holding the same history:
    // the frontier as a flag on each version, and the records without it.
    do {
      let old = try Database(path: path)
      try HubSchema.migrator.prefix(through: Self.beforeFrontierOnRecords).migrate(old)
      old.close()
    }
    try current.database.execute("ATTACH DATABASE '\(path)' AS old")
    try current.database.inTransaction {
      for table in ["changes", "writers", "hub_meta", "conflicts", "sites", "audit"] {
        // The columns the old step knew (later steps add some to `sites`).
        let known = try current.database.prepare("PRAGMA old.table_info(\(table))").rows().map { try $0.string(1) }
          .joined(separator: ", ")
        try current.database.execute("INSERT INTO old.\(table)(\(known)) SELECT \(known) FROM main.\(table)")
      }
      try current.database.execute(
        "INSERT INTO old.versions(record_id, vector, state, deleted, stamp) SELECT record_id, vector, state, deleted, stamp FROM versions"
      )
      for record in frontiers {
        for vector in record.vectors {
          try current.database.prepare("UPDATE old.versions SET frontier = 1 WHERE record_id = ? AND vector = ?")
            .execute([.text(record.id), .text(try CanonicalJSON.encode(vector))])
          #expect(current.database.changes == 1)
        }
      }
      let columns = try current.database.prepare("PRAGMA old.table_info(records)").rows().map { try $0.string(1) }.joined(separator: ", ")
      #expect(!columns.contains("frontier"))
      try current.database.execute("INSERT INTO old.records(rowid, \(columns)) SELECT rowid, \(columns) FROM main.records")
    }
    try current.database.execute("DETACH DATABASE old")

    let upgraded = try Hub(path: path)
    defer { upgraded.database.close() }
    #expect(
      try HubSchema.migrator.appliedMigrations(upgraded.database).suffix(6) == [
        "007-frontier-on-records", "008-history-chain", "009-feed-log", "010-feed-order", "011-site-pull-progress",
        "012-final-determinations",
      ])
    #expect(try upgraded.database.integrityCheck() == ["ok"])
    // A hub made before the hub chose 2 KiB pages keeps SQLite's 4 KiB ones.
    #expect(try upgraded.database.prepare("PRAGMA page_size").firstRow()?.int64(0) == 4096)
    let indexes = try upgraded.database.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('records', 'versions') ORDER BY name"
    )
    .rows().map { try $0.string(0) }
    // The history has no index (it is a chain, Hub+History), and the feed is a table of its own.
    #expect(indexes == ["records_final_determinations", "records_ledger", "sqlite_autoindex_records_1"])
    #expect(try Self.rows(upgraded.database) == Self.rows(current.database))
    #expect(try Self.feed(upgraded) == Self.feed(current))
    // Every record's history reads back whole through the rebuilt chain.
    for record in frontiers {
      let id = try RecordID(record.id)
      let versions = try upgraded.history(of: id)?.versions
      let stored = try upgraded.database.prepare("SELECT count(*) FROM versions WHERE record_id = ?").firstRow([.text(record.id)])?.int64(0)
      let expected = try current.history(of: id)?.versions
      #expect(versions?.count == stored.map(Int.init) && versions == expected, "\(record.id)")
    }

    // Both go on alike: every replica's next edits, pushed to each, store the same rows.
    let fixed = Date(timeIntervalSince1970: 1_750_000_000)
    current.now = { fixed }
    upgraded.now = { fixed }
    var pushed = 0
    for index in simulation.replicas.indices {
      try simulation.editSomething(on: index)
      let replica = simulation.replicas[index]
      let pending = try replica.pendingChanges()
      pushed += pending.count
      let expected = try current.push(pending, from: replica.site, scope: replica.scope)
      #expect(try upgraded.push(pending, from: replica.site, scope: replica.scope) == expected)
    }
    #expect(pushed > 0)
    #expect(try Self.rows(upgraded.database) == Self.rows(current.database))
    #expect(try Self.feed(upgraded) == Self.feed(current))
  }
}
