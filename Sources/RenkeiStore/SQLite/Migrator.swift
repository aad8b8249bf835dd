import Foundation

/// Schema migrations as an ordered list of named steps, each applied once, in order, in
/// its own transaction together with the row that records it.
public struct Migrator {
  private var steps: [(name: String, body: (Database) throws -> Void)] = []

  public init() {}

  public mutating func registerMigration(_ name: String, _ body: @escaping (Database) throws -> Void) {
    precondition(!steps.contains { $0.name == name }, "migration \(name) registered twice")
    steps.append((name, body))
  }

  /// The steps up to and including `name`: the schema as an older Renkei left it, so an
  /// upgrade can be tried on a database holding data written in that shape.
  public func prefix(through name: String) -> Migrator {
    guard let last = steps.firstIndex(where: { $0.name == name }) else { preconditionFailure("no migration \(name)") }
    var prefix = Migrator()
    prefix.steps = Array(steps[...last])
    return prefix
  }

  /// The migrations the database records as applied, in order.
  public func appliedMigrations(_ db: Database) throws -> [String] {
    try createTable(db)
    return try db.prepare("SELECT name FROM renkei_migrations ORDER BY rowid").rows().map { try $0.string(0) }
  }

  /// Applies every migration not yet applied. Refuses a database that records a migration
  /// this program does not know: it was written by a newer Renkei.
  public func migrate(_ db: Database) throws {
    let applied = try appliedMigrations(db)
    let known = Set(steps.map(\.name))
    if let unknown = applied.first(where: { !known.contains($0) }) {
      throw SQLiteError(
        extendedResultCode: SQLiteError.error,
        message: "the database records migration \(unknown), which this version of Renkei does not know: it was written by a newer version")
    }
    for step in steps where !applied.contains(step.name) {
      try db.inTransaction {
        // Asked again under the write lock: another process opening the same old database
        // (the nightly sync and a staff command, just after an upgrade) may have applied the
        // step while this one waited, and running it twice fails ("index already exists").
        let done = try db.prepare("SELECT 1 FROM renkei_migrations WHERE name = ?").firstRow([.text(step.name)]) != nil
        guard !done else { return }
        try step.body(db)
        try db.prepare("INSERT INTO renkei_migrations(name, applied_at) VALUES (?, ?)")
          .execute([.text(step.name), .text(ISO8601DateFormatter().string(from: Date()))])
      }
    }
  }

  private func createTable(_ db: Database) throws {
    try db.execute("CREATE TABLE IF NOT EXISTS renkei_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT")
  }
}
