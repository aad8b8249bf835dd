import Foundation
import RenkeiStore
import Testing

/// Opening a connection: the pragmas it sets, the files it writes, the SQLite it needs,
/// and the online backup.
@Suite struct SQLiteDatabaseTests {
  func pragma(_ db: Database, _ name: String) throws -> DatabaseValue? {
    try db.prepare("PRAGMA \(name)").firstRow()?[0]
  }

  @Test func aFileDatabaseOpensWithWALFullSyncAndForeignKeys() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let db = try Database(path: directory.path("renkei.db"))
    #expect(try pragma(db, "journal_mode") == .text("wal"))
    #expect(try pragma(db, "synchronous") == .integer(2))  // FULL
    #expect(try pragma(db, "foreign_keys") == .integer(1))
    #expect(try pragma(db, "busy_timeout") == .integer(5000))
  }

  @Test(arguments: [
    (Database.JournalMode.wal, Database.Synchronous.full, "wal", Int64(2)),
    (.delete, .normal, "delete", 1),
    (.memory, .off, "memory", 0),
  ])
  func optionsAreApplied(journal: Database.JournalMode, synchronous: Database.Synchronous, mode: String, level: Int64) throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    var options = Database.Options()
    options.journalMode = journal
    options.synchronous = synchronous
    options.foreignKeys = false
    options.busyTimeoutMilliseconds = 50
    let db = try Database(path: directory.path("renkei.db"), options: options)
    #expect(try pragma(db, "journal_mode") == .text(mode))
    #expect(try pragma(db, "synchronous") == .integer(level))
    #expect(try pragma(db, "foreign_keys") == .integer(0))
    #expect(try pragma(db, "busy_timeout") == .integer(50))
  }

  /// A page size applies to a file the connection makes, even in WAL mode (which fixes it
  /// as soon as it is set); a file that exists keeps its own, and its rows. A backup of a
  /// database with small pages is a sound copy with the same pages.
  @Test func aPageSizeAppliesToNewFilesOnly() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    var small = Database.Options()
    small.pageSize = 2048
    let made = try Database(path: directory.path("small.db"), options: small)
    try made.execute("CREATE TABLE t(x TEXT) STRICT; INSERT INTO t VALUES ('記録')")
    #expect(try pragma(made, "page_size") == .integer(2048))
    #expect(try pragma(made, "journal_mode") == .text("wal"))
    try made.backup(to: directory.path("small-copy.db"))
    made.close()
    let copy = try Database(path: directory.path("small-copy.db"))
    #expect(try pragma(copy, "page_size") == .integer(2048))
    #expect(try copy.integrityCheck() == ["ok"])
    copy.close()

    let old = try Database(path: directory.path("old.db"))
    try old.execute("CREATE TABLE t(x TEXT) STRICT; INSERT INTO t VALUES ('記録')")
    #expect(try pragma(old, "page_size") == .integer(4096))
    old.close()
    let reopened = try Database(path: directory.path("old.db"), options: small)
    #expect(try pragma(reopened, "page_size") == .integer(4096))
    #expect(try reopened.prepare("SELECT x FROM t").firstRow()?.values == [.text("記録")])
    #expect(try reopened.integrityCheck() == ["ok"])
  }

  @Test func anInMemoryDatabaseStillSyncsFullyAndChecksForeignKeys() throws {
    let db = try Database(path: ":memory:")
    #expect(try pragma(db, "journal_mode") == .text("memory"))
    #expect(try pragma(db, "synchronous") == .integer(2))
    #expect(try pragma(db, "foreign_keys") == .integer(1))
  }

  @Test func foreignKeysAreEnforcedByDefaultAndOnlyByDefault() throws {
    let schema = """
      CREATE TABLE sites(id TEXT PRIMARY KEY);
      CREATE TABLE events(id INTEGER PRIMARY KEY, site TEXT NOT NULL REFERENCES sites(id));
      """
    let checked = try Database(path: ":memory:")
    try checked.execute(schema)
    let error = try #require(throws: SQLiteError.self) { try checked.execute("INSERT INTO events(site) VALUES ('gunma')") }
    #expect(error.extendedResultCode == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY

    var options = Database.Options()
    options.foreignKeys = false
    let unchecked = try Database(path: ":memory:", options: options)
    try unchecked.execute(schema)
    try unchecked.execute("INSERT INTO events(site) VALUES ('gunma')")
    #expect(unchecked.changes == 1)
  }

  @Test func writesSurviveClosingAndReopening() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("renkei.db")
    do {
      let db = try Database(path: path)
      try db.execute("CREATE TABLE notes(body TEXT NOT NULL) STRICT")
      try db.prepare("INSERT INTO notes(body) VALUES (?)").execute(["交付決定通知受領"])
      try db.setUserVersion(7)
      #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL mode writes a -wal file")
    }
    let db = try Database(path: path)
    #expect(try db.prepare("SELECT body FROM notes").rows().map { try $0.string(0) } == ["交付決定通知受領"])
    #expect(try db.userVersion == 7)
    #expect(db.path == path)
  }

  @Test func aPathWithJapaneseAndSpacesOpens() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let folder = directory.url.appendingPathComponent("連携 データ")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("埼玉県.db").path
    do {
      let db = try Database(path: path)
      try db.execute("CREATE TABLE t(x)")
    }
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(try Database(path: path).integrityCheck() == ["ok"])
  }

  @Test func aReadOnlyConnectionReadsButCannotWrite() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("renkei.db")
    do {
      let db = try Database(path: path)
      try db.execute("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2)")
    }
    var options = Database.Options()
    options.readOnly = true
    let reader = try Database(path: path, options: options)
    #expect(try reader.prepare("SELECT sum(x) FROM t").firstRow()?.int64(0) == 3)
    let error = try #require(throws: SQLiteError.self) { try reader.execute("INSERT INTO t VALUES (3)") }
    #expect(error.resultCode == SQLiteError.readonly)
  }

  @Test func userVersionStartsAtZeroAndIsKept() throws {
    let db = try Database(path: ":memory:")
    #expect(try db.userVersion == 0)
    try db.setUserVersion(Int64(Int32.max))
    #expect(try db.userVersion == Int64(Int32.max))
    try db.setUserVersion(-3)
    #expect(try db.userVersion == -3)
  }

  @Test func theMinimumSQLiteIs3_37AndTheRunningLibraryMeetsIt() throws {
    #expect(Database.minimumVersionNumber == 3_037_000)
    let db = try Database(path: ":memory:")
    let reported = try #require(try db.prepare("SELECT sqlite_version()").firstRow()).string(0)
    #expect(Database.sqliteVersion == reported)
    let parts = reported.split(separator: ".").compactMap { Int32($0) }
    try #require(parts.count == 3, "\(reported) is major.minor.patch")
    let number = parts[0] * 1_000_000 + parts[1] * 1000 + parts[2]
    #expect(number >= Database.minimumVersionNumber, "SQLite \(reported) is older than Renkei needs")
    // What 3.37 brings, and the reason for the minimum: STRICT tables and RETURNING.
    try db.execute("CREATE TABLE t(n INTEGER) STRICT")
    #expect(try db.prepare("INSERT INTO t VALUES (41 + 1) RETURNING n").firstRow()?.int64(0) == 42)
  }

  @Test func aBackupIsACompleteSoundDatabase() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let source = try Database(path: directory.path("live.db"))
    try source.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT; CREATE INDEX notes_body ON notes(body)")
    try source.inTransaction {
      let insert = try source.prepare("INSERT INTO notes(body) VALUES (?)")
      for number in 1...500 { try insert.execute([.text("記録\(number)")]) }
    }
    try source.setUserVersion(3)
    let copyPath = directory.path("backup.db")
    try source.backup(to: copyPath)

    // The source stays usable: the backup is online.
    try source.prepare("INSERT INTO notes(body) VALUES (?)").execute(["後で"])

    let copy = try Database(path: copyPath)
    #expect(try copy.integrityCheck() == ["ok"])
    #expect(try copy.userVersion == 3)
    #expect(try copy.prepare("SELECT count(*), max(body) FROM notes").firstRow()?.values == [.integer(500), .text("記録99")])
  }

  @Test func anInMemoryDatabaseBacksUpToAFile() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let source = try Database(path: ":memory:")
    try source.execute("CREATE TABLE t(b BLOB); INSERT INTO t VALUES (x'00FF'), (zeroblob(0))")
    let path = directory.path("copy.db")
    try source.backup(to: path)
    let copy = try Database(path: path)
    #expect(try copy.integrityCheck() == ["ok"])
    #expect(try copy.prepare("SELECT b FROM t ORDER BY rowid").rows().map { $0[0] } == [.blob([0, 255]), .blob([])])
  }

  @Test func aBackupReplacesWhatWasAtThePath() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("copy.db")
    do {
      let old = try Database(path: path)
      try old.execute("CREATE TABLE stale(x); INSERT INTO stale VALUES (1)")
    }
    let source = try Database(path: ":memory:")
    try source.execute("CREATE TABLE fresh(x); INSERT INTO fresh VALUES (2)")
    try source.backup(to: path)
    let copy = try Database(path: path)
    #expect(try copy.prepare("SELECT name FROM sqlite_schema").rows().map { try $0.string(0) } == ["fresh"])
  }

  @Test func aBackupToAnUnwritablePlaceFailsClearly() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let source = try Database(path: ":memory:")
    try source.execute("CREATE TABLE t(x)")
    let path = directory.path("no/such/folder/copy.db")
    let error = try #require(throws: SQLiteError.self) { try source.backup(to: path) }
    #expect(error.extendedResultCode == 14)  // SQLITE_CANTOPEN
    #expect(error.message.contains(path))
  }
}

/// A directory of one test's own under the system temporary directory. Shared by the
/// `SQLite*Tests` suites; call `remove()` in a `defer`.
struct SQLiteScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-sqlite-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  func remove() { try? FileManager.default.removeItem(at: url) }
}
