import RenkeiStore
import Testing

/// Everything the hub database stores except its audit, row by row, read through a
/// connection of the test's own: equal before and after a refused request means the
/// request stored nothing (no change, version, record, conflict, writer, feed position).
struct StoredState: Equatable {
  /// Each table's rows as text (`quote()` of every column), sorted.
  var tables: [String: [String]]

  static func read(databaseAt path: String) throws -> StoredState {
    let database = try Database(path: path)
    defer { database.close() }
    var tables: [String: [String]] = [:]
    let names = try database.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'audit' ORDER BY name"
    ).rows().map { try $0.string(0) }
    for table in names {
      let columns = try database.prepare("SELECT name FROM pragma_table_info(?)").rows([.text(table)]).map { try $0.string(0) }
      let line = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
      tables[table] = try database.prepare("SELECT \(line) AS line FROM \"\(table)\" ORDER BY line").rows().map { try $0.string(0) }
    }
    return StoredState(tables: tables)
  }

  /// The tables that differ, with their row counts before and after.
  func difference(from before: StoredState) -> String {
    Set(tables.keys).union(before.tables.keys).sorted().compactMap { table in
      let (was, now) = (before.tables[table] ?? [], tables[table] ?? [])
      return was == now ? nil : "\(table): \(was.count) rows -> \(now.count) rows"
    }.joined(separator: "; ")
  }
}
