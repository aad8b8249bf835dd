import Foundation
import RenkeiStore
import Testing

/// Errors carry SQLite's extended result code, its message and the SQL, and a damaged or
/// foreign file fails on open with a clear error instead of crashing later.
@Suite struct SQLiteErrorTests {
  static let schema = """
    CREATE TABLE sites(id TEXT PRIMARY KEY) STRICT;
    CREATE TABLE events(
      id INTEGER PRIMARY KEY,
      site TEXT NOT NULL REFERENCES sites(id),
      title TEXT NOT NULL UNIQUE,
      amount INTEGER CHECK (amount >= 0)
    ) STRICT;
    INSERT INTO sites(id) VALUES ('saitama');
    INSERT INTO events(id, site, title, amount) VALUES (1, 'saitama', '説明会', 100);
    """

  @Test(arguments: [
    ("INSERT INTO events(site, title) VALUES ('saitama', '説明会')", Int32(2067), "UNIQUE constraint failed: events.title"),
    ("INSERT INTO events(site, title) VALUES ('saitama', NULL)", 1299, "NOT NULL constraint failed: events.title"),
    ("INSERT INTO events(site, title, amount) VALUES ('saitama', '研修', -1)", 275, "CHECK constraint failed"),
    ("INSERT INTO events(id, site, title) VALUES (1, 'saitama', '研修')", 1555, "UNIQUE constraint failed: events.id"),
    ("INSERT INTO events(site, title) VALUES ('gunma', '研修')", 787, "FOREIGN KEY constraint failed"),
    ("INSERT INTO events(site, title, amount) VALUES ('saitama', '研修', 'many')", 3091, "cannot store TEXT value in INTEGER column"),
  ])
  func constraintViolationsCarryTheExtendedCodeMessageAndSQL(sql: String, code: Int32, message: String) throws {
    let db = try Database(path: ":memory:")
    try db.execute(Self.schema)
    let runs: [() throws -> Void] = [{ try db.execute(sql) }, { try db.prepare(sql).execute() }]
    for run in runs {
      let error = try #require(throws: SQLiteError.self) { try run() }
      #expect(error.extendedResultCode == code)
      #expect(error.resultCode == SQLiteError.constraint)
      #expect(error.message.contains(message), "\(error.message)")
      #expect(error.sql == sql)
    }
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 1)
  }

  @Test func aSyntaxErrorNamesTheSQL() throws {
    let db = try Database(path: ":memory:")
    let sql = "CREATE TABLE t(id INTEGER PRIMARY KEY,)"
    let error = try #require(throws: SQLiteError.self) { try db.execute(sql) }
    #expect(error.extendedResultCode == SQLiteError.error)
    #expect(error.message.contains("syntax error"), "\(error.message)")
    #expect(error.sql == sql)
    #expect(error.description.contains("«\(sql)»"))
  }

  @Test func aMissingTableIsNamed() throws {
    let db = try Database(path: ":memory:")
    let error = try #require(throws: SQLiteError.self) { try db.prepare("SELECT * FROM 予定") }
    #expect(error.message == "no such table: 予定")
  }

  @Test func theDescriptionReadsAsOneLine() {
    let error = SQLiteError(extendedResultCode: 2067, message: "UNIQUE constraint failed: t.a", sql: "INSERT INTO t VALUES (1)")
    #expect(error.resultCode == 19)
    #expect(error.description == "SQLite error 2067 (constraint failed): UNIQUE constraint failed: t.a — in «INSERT INTO t VALUES (1)»")
    let bare = SQLiteError(extendedResultCode: SQLiteError.notadb, message: "file is not a database")
    #expect(bare.description == "SQLite error 26 (file is not a database): file is not a database")
  }

  @Test func errorsMatchByValue() {
    let error = SQLiteError(extendedResultCode: 5, message: "database is locked", sql: "BEGIN IMMEDIATE")
    #expect(error == SQLiteError(extendedResultCode: 5, message: "database is locked", sql: "BEGIN IMMEDIATE"))
    #expect(error != SQLiteError(extendedResultCode: 5, message: "database is locked"))
    #expect(error != SQLiteError(extendedResultCode: 517, message: "database is locked", sql: "BEGIN IMMEDIATE"))
  }

  /// The constants and SQLite's primary result codes, from sqlite3.h.
  static let primaryCodes: [(constant: Int32, code: Int32)] = [
    (SQLiteError.error, 1), (SQLiteError.abort, 4), (SQLiteError.busy, 5), (SQLiteError.readonly, 8), (SQLiteError.ioerr, 10),
    (SQLiteError.corrupt, 11), (SQLiteError.full, 13), (SQLiteError.constraint, 19), (SQLiteError.misuse, 21),
    (SQLiteError.notadb, 26),
  ]

  @Test(arguments: primaryCodes)
  func resultCodeConstantsAreSQLites(constant: Int32, code: Int32) {
    #expect(constant == code)
  }

  @Test func aFileThatIsNotADatabaseFailsOnOpenAndIsLeftAlone() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("notes.db")
    let garbage = Data(String(repeating: "これはデータベースではありません。not a database\n", count: 100).utf8)
    try garbage.write(to: URL(fileURLWithPath: path))
    let error = try #require(throws: SQLiteError.self) { try Database(path: path) }
    #expect(error.extendedResultCode == SQLiteError.notadb)
    #expect(error.message.contains("not a database"), "\(error.message)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage, "a failed open must not write to the file")
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
  }

  /// Writes a sound database of many pages (a table and an index over it) at `path`, closes
  /// it, and returns its bytes.
  func writeSoundDatabase(at path: String) throws -> Data {
    do {
      let db = try Database(path: path)
      try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
      try db.inTransaction {
        let insert = try db.prepare("INSERT INTO t(body) VALUES (?)")
        for number in 0..<200 { try insert.execute([.blob([UInt8](repeating: UInt8(number % 256), count: 1000))]) }
      }
      try db.execute("CREATE INDEX t_body ON t(body)")
      #expect(try db.integrityCheck() == ["ok"])
    }  // closing the last connection checkpoints the WAL into the file
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    try #require(bytes.count > 100 * 4096, "the database spans many pages")
    return bytes
  }

  /// Either the open refuses the damaged file as corrupt, or it opens and
  /// `integrityCheck` reports the damage (or refuses as corrupt).
  func expectDamageReported(at path: String) throws {
    let opened: Database
    do {
      opened = try Database(path: path)
    } catch let error as SQLiteError {
      #expect(error.resultCode == SQLiteError.corrupt, "\(error)")
      return
    }
    let check: [String]
    do { check = try opened.integrityCheck() } catch let error as SQLiteError {
      #expect(error.resultCode == SQLiteError.corrupt, "\(error)")
      return
    }
    #expect(check != ["ok"])
  }

  @Test func aTruncatedDatabaseFailsClearlyAndNeverCrashes() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let bytes = try writeSoundDatabase(at: directory.path("original.db"))
    let truncated = directory.path("truncated.db")
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
    try expectDamageReported(at: truncated)
  }

  @Test func overwrittenPagesAreReportedAndNeverCrash() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    var bytes = try writeSoundDatabase(at: directory.path("original.db"))
    let pageSize = 4096
    let middle = bytes.count / 2 / pageSize * pageSize
    bytes.replaceSubrange(middle..<(middle + 3 * pageSize), with: [UInt8](repeating: 0xAB, count: 3 * pageSize))
    let damaged = directory.path("damaged.db")
    try bytes.write(to: URL(fileURLWithPath: damaged))
    try expectDamageReported(at: damaged)
  }

  @Test func aDirectoryThatDoesNotExistCannotBeOpened() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("missing/renkei.db")
    let error = try #require(throws: SQLiteError.self) { try Database(path: path) }
    #expect(error.extendedResultCode == 14)  // SQLITE_CANTOPEN
    #expect(error.message.contains(path))
  }

  @Test func aMissingFileCannotBeOpenedReadOnly() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    var options = Database.Options()
    options.readOnly = true
    let path = directory.path("renkei.db")
    let error = try #require(throws: SQLiteError.self) { try Database(path: path, options: options) }
    #expect(error.extendedResultCode == 14)  // SQLITE_CANTOPEN
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func aClosedDatabaseRefusesWorkAsMisuse() throws {
    let db = try Database(path: ":memory:")
    db.close()
    db.close()
    let error = try #require(throws: SQLiteError.self) { try db.execute("SELECT 1") }
    #expect(error.extendedResultCode == SQLiteError.misuse)
    #expect(throws: SQLiteError.self) { try db.prepare("SELECT 1") }
    #expect(throws: SQLiteError.self) { try db.cachedStatement("SELECT 1") }
    #expect(throws: SQLiteError.self) { try db.inTransaction {} }
    #expect(db.isAutocommit)
  }

  /// A failed write says what happened to the disk, from the system's error number when
  /// SQLite kept it, else from the result code; other errors are no storage problem.
  @Test func storageFailuresAreNamedAndOthersAreNot() {
    let full = SQLiteError(extendedResultCode: SQLiteError.full, message: "database or disk is full")
    #expect(full.storageProblem?.contains("disk is full") == true)
    let noSpace = SQLiteError(extendedResultCode: 778, message: "disk I/O error", systemErrorNumber: ENOSPC)
    #expect(noSpace.storageProblem?.contains("no space left") == true)
    let limited = SQLiteError(extendedResultCode: 778, message: "disk I/O error", systemErrorNumber: EFBIG)
    #expect(limited.storageProblem?.contains("file-size limit") == true)
    let failing = SQLiteError(extendedResultCode: 778, message: "disk I/O error")
    #expect(failing.storageProblem?.contains("could not be written or read") == true)
    #expect(SQLiteError(extendedResultCode: 2067, message: "UNIQUE constraint failed").storageProblem == nil)
    #expect(SQLiteError(extendedResultCode: SQLiteError.busy, message: "database is locked").storageProblem == nil)
  }
}
