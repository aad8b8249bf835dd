import Foundation
import RenkeiStore
import Testing

/// The statement log the benchmark replays: what it notes, what it leaves out, and that
/// replaying it reproduces the rows.
@Suite struct SQLiteStatementLogTests {
  static let schema = "CREATE TABLE events(id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, venue TEXT) STRICT"

  func makeDatabase() throws -> Database {
    let db = try Database(path: ":memory:")
    try db.execute(Self.schema)
    return db
  }

  @Test func everyRunIsNotedWithItsValuesInOrder() throws {
    let db = try makeDatabase()
    // Cached before the log is set: it must note its runs all the same.
    try db.cachedStatement("INSERT INTO events(title, venue) VALUES (?, ?)").execute(["説明会", "講堂"])
    let log = StatementLog()
    db.statementLog = log
    try db.inTransaction {
      try db.cachedStatement("INSERT INTO events(title, venue) VALUES (?, ?)").execute(["研修", .null])
      _ = try db.prepare("SELECT title FROM events ORDER BY id").rows()
      _ = try db.cachedStatement("SELECT id FROM events WHERE title = ?").firstRow(["研修"])
      try db.cachedStatement("SELECT venue FROM events WHERE id = ?").withFirstRow([1]) { _ in }
      try db.inTransaction { try db.prepare("UPDATE events SET venue = ?1 WHERE id = ?2").execute(["会議室", 2]) }
    }
    #expect(
      log.entries.map(\.sql) == [
        "INSERT INTO events(title, venue) VALUES (?, ?)", "SELECT title FROM events ORDER BY id", "SELECT id FROM events WHERE title = ?",
        "SELECT venue FROM events WHERE id = ?", "SAVEPOINT renkei_2", "UPDATE events SET venue = ?1 WHERE id = ?2", "RELEASE renkei_2",
      ])
    #expect(log.entries.map(\.values) == [["研修", .null], [], ["研修"], [1], [], ["会議室", 2], []])
    #expect(log.entries.map(\.readsEveryRow) == [true, true, false, false, true, true, true])
  }

  @Test func withoutALogNothingIsNoted() throws {
    let db = try makeDatabase()
    let log = StatementLog()
    db.statementLog = log
    let insert = try db.cachedStatement("INSERT INTO events(title) VALUES (?)")
    try insert.execute(["説明会"])
    db.statementLog = nil
    try db.cachedStatement("INSERT INTO events(title) VALUES (?)").execute(["研修"])
    try db.prepare("SELECT * FROM events").execute()
    #expect(log.entries.count == 1)
    log.removeAll()
    #expect(log.entries.isEmpty)
  }

  @Test func replayingTheLogReproducesTheRows() throws {
    let source = try makeDatabase()
    let log = StatementLog()
    source.statementLog = log
    try source.inTransaction {
      for (title, venue) in [("説明会", "講堂"), ("研修", "会議室"), ("総会", "講堂")] {
        try source.cachedStatement("INSERT INTO events(title, venue) VALUES (?, ?)").execute([.text(title), .text(venue)])
      }
      try source.cachedStatement("UPDATE events SET venue = NULL WHERE title = ?").execute(["研修"])
      try source.cachedStatement("DELETE FROM events WHERE venue = ? RETURNING id").withFirstRow(["講堂"]) { _ in }
    }
    let copy = try makeDatabase()
    try copy.inTransaction {
      for entry in log.entries {
        let statement = try copy.cachedStatement(entry.sql)
        if entry.readsEveryRow { try statement.execute(entry.values) } else { try statement.withFirstRow(entry.values) { _ in } }
      }
    }
    let query = "SELECT id, title, venue FROM events ORDER BY id"
    let expected = try source.prepare(query).rows().map(\.values)
    #expect(expected.count == 1, "the DELETE … RETURNING ran whole at its first step")
    #expect(try copy.prepare(query).rows().map(\.values) == expected)
  }
}
