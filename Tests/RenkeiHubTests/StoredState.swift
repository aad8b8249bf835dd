import RenkeiStore
import Testing

/// Everything the hub database stores except its audit, row by row, read through a
/// connection of the test's own: equal before and after a refused request means the
/// request stored nothing (no change, version, record, conflict, writer, feed position).
///
/// How far each site has been sent the feed is kept apart: a pull that reaches the feed's
/// end notes it for its own site, so an answered read may move that and nothing else.
struct StoredState: Equatable {
  /// Each table's rows as text (`quote()` of every column), sorted; the sites without
  /// their pull progress.
  var tables: [String: [String]]
  /// Each site's pull progress, by name: `pulled_through|last_pulled_at`.
  var pullProgress: [String: String]

  static let pullProgressColumns: Set<String> = ["pulled_through", "last_pulled_at"]

  static func read(databaseAt path: String) throws -> StoredState {
    let database = try Database(path: path)
    defer { database.close() }
    var tables: [String: [String]] = [:]
    let names = try database.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'audit' ORDER BY name"
    ).rows().map { try $0.string(0) }
    for table in names {
      let columns = try database.prepare("SELECT name FROM pragma_table_info(?)").rows([.text(table)]).map { try $0.string(0) }
        .filter { table != "sites" || !pullProgressColumns.contains($0) }
      let line = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
      tables[table] = try database.prepare("SELECT \(line) AS line FROM \"\(table)\" ORDER BY line").rows().map { try $0.string(0) }
    }
    let progress = try database.prepare("SELECT name, quote(pulled_through) || '|' || quote(last_pulled_at) FROM sites").rows()
    return StoredState(
      tables: tables, pullProgress: Dictionary(uniqueKeysWithValues: try progress.map { (try $0.string(0), try $0.string(1)) }))
  }

  /// The sites whose pull progress differs.
  func sitesWithPullProgressMoved(since before: StoredState) -> Set<String> {
    Set(pullProgress.keys.filter { pullProgress[$0] != before.pullProgress[$0] })
  }

  /// The tables that differ, with their row counts before and after.
  func difference(from before: StoredState) -> String {
    Set(tables.keys).union(before.tables.keys).sorted().compactMap { table in
      let (was, now) = (before.tables[table] ?? [], tables[table] ?? [])
      return was == now ? nil : "\(table): \(was.count) rows -> \(now.count) rows"
    }.joined(separator: "; ") + sitesWithPullProgressMoved(since: before).sorted().map { "; pull progress of \($0)" }.joined()
  }
}
