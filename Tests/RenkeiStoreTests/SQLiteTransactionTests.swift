import Foundation
import RenkeiStore
import Testing

/// `inTransaction`: all or nothing, nested calls as savepoints, and what a second
/// connection sees and may do meanwhile.
@Suite struct SQLiteTransactionTests {
  struct Refused: Error, Equatable { let reason: String }

  func makeDatabase(at path: String = ":memory:", busyTimeout: Int32 = 50) throws -> Database {
    var options = Database.Options()
    options.busyTimeoutMilliseconds = busyTimeout
    let db = try Database(path: path, options: options)
    try db.execute("CREATE TABLE IF NOT EXISTS log(entry TEXT NOT NULL) STRICT")
    return db
  }

  func log(_ db: Database, _ entry: String) throws {
    try db.cachedStatement("INSERT INTO log(entry) VALUES (?)").execute([.text(entry)])
  }

  func entries(_ db: Database) throws -> [String] {
    try db.cachedStatement("SELECT entry FROM log ORDER BY rowid").rows().map { try $0.string(0) }
  }

  @Test(arguments: [Database.TransactionKind.deferred, .immediate, .exclusive])
  func aTransactionThatReturnsCommits(kind: Database.TransactionKind) throws {
    let db = try makeDatabase()
    #expect(!db.isInTransaction)
    let result = try db.inTransaction(kind) {
      #expect(db.isInTransaction)
      try log(db, "一")
      try log(db, "二")
      return 42
    }
    #expect(result == 42)
    #expect(!db.isInTransaction)
    #expect(try entries(db) == ["一", "二"])
  }

  @Test func aTransactionThatThrowsLeavesNothingBehindAndRethrows() throws {
    let db = try makeDatabase()
    try log(db, "before")
    let error = try #require(throws: Refused.self) {
      try db.inTransaction {
        try log(db, "一")
        try db.execute("CREATE TABLE scratch(x)")
        try log(db, "二")
        throw Refused(reason: "amount over budget")
      }
    }
    #expect(error == Refused(reason: "amount over budget"))
    #expect(!db.isInTransaction)
    #expect(try entries(db) == ["before"])
    #expect(try db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'scratch'").firstRow()?.int64(0) == 0)
  }

  @Test func anSQLiteErrorInsideRollsBackTheWholeTransaction() throws {
    let db = try makeDatabase()
    try db.execute("CREATE UNIQUE INDEX log_entry ON log(entry)")
    let error = try #require(throws: SQLiteError.self) {
      try db.inTransaction {
        try log(db, "一")
        try log(db, "一")
      }
    }
    #expect(error.extendedResultCode == 2067)
    #expect(try entries(db).isEmpty)
    #expect(!db.isInTransaction)
  }

  @Test func anInnerFailureCaughtByTheOuterRollsBackOnlyTheInnerPart() throws {
    let db = try makeDatabase()
    try db.inTransaction {
      try log(db, "outer before")
      #expect(throws: Refused.self) {
        try db.inTransaction {
          try log(db, "inner")
          throw Refused(reason: "inner")
        }
      }
      #expect(db.isInTransaction, "the outer transaction is still open")
      try log(db, "outer after")
    }
    #expect(try entries(db) == ["outer before", "outer after"])
  }

  @Test func aCommittedInnerPartRollsBackWithTheOuter() throws {
    let db = try makeDatabase()
    #expect(throws: Refused.self) {
      try db.inTransaction {
        try log(db, "outer")
        try db.inTransaction { try log(db, "inner") }
        throw Refused(reason: "outer")
      }
    }
    #expect(try entries(db).isEmpty)
  }

  @Test func savepointsNestThreeDeepAndUnwindOneLevelAtATime() throws {
    let db = try makeDatabase()
    try db.inTransaction {
      try log(db, "1")
      #expect(throws: Refused.self) {
        try db.inTransaction {
          try log(db, "2")
          try db.inTransaction { try log(db, "3") }
          throw Refused(reason: "2")
        }
      }
      try db.inTransaction {
        try log(db, "2b")
        #expect(throws: Refused.self) {
          try db.inTransaction {
            try log(db, "3b")
            throw Refused(reason: "3b")
          }
        }
      }
    }
    #expect(try entries(db) == ["1", "2b"])
    // The savepoint bookkeeping is back at the top: a new transaction is a real BEGIN.
    try db.inTransaction(.exclusive) { try log(db, "again") }
    #expect(try entries(db) == ["1", "2b", "again"])
  }

  @Test func aTransactionInsideAnExplicitBEGINBecomesASavepoint() throws {
    let db = try makeDatabase()
    try db.execute("BEGIN")
    try log(db, "manual")
    #expect(throws: Refused.self) {
      try db.inTransaction {
        try log(db, "nested")
        throw Refused(reason: "nested")
      }
    }
    try db.inTransaction { try log(db, "nested ok") }
    #expect(db.isInTransaction, "the caller's transaction is still the caller's to end")
    try db.execute("COMMIT")
    #expect(try entries(db) == ["manual", "nested ok"])
  }

  @Test func aForeignKeyViolationFoundAtCommitRollsBackAndThrows() throws {
    let db = try makeDatabase()
    try db.execute(
      """
      CREATE TABLE sites(id TEXT PRIMARY KEY);
      CREATE TABLE events(id INTEGER PRIMARY KEY, site TEXT REFERENCES sites(id) DEFERRABLE INITIALLY DEFERRED);
      """)
    let error = try #require(throws: SQLiteError.self) {
      try db.inTransaction {
        try log(db, "written")
        try db.execute("INSERT INTO events(site) VALUES ('gunma')")
      }
    }
    #expect(error.extendedResultCode == 787)
    #expect(error.sql == "COMMIT")
    #expect(!db.isInTransaction)
    #expect(try entries(db).isEmpty)
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 0)
  }

  @Test func aTriggerThatRollsBackEverythingLeavesAUsableConnection() throws {
    let db = try makeDatabase()
    try db.execute(
      """
      CREATE TRIGGER no_forbidden BEFORE INSERT ON log WHEN NEW.entry = 'forbidden'
      BEGIN SELECT RAISE(ROLLBACK, 'forbidden entry'); END
      """)
    let error = try #require(throws: SQLiteError.self) {
      try db.inTransaction {
        try log(db, "outer")
        try db.inTransaction { try log(db, "forbidden") }
      }
    }
    #expect(error.message == "forbidden entry")
    #expect(!db.isInTransaction)
    #expect(try entries(db).isEmpty)
    try db.inTransaction { try log(db, "next") }
    #expect(try entries(db) == ["next"])
  }

  @Test func writesAfterSQLiteAbortedTheTransactionAreNotCommittedAlone() throws {
    let db = try makeDatabase()
    try db.execute(
      """
      CREATE TRIGGER no_forbidden BEFORE INSERT ON log WHEN NEW.entry = 'forbidden'
      BEGIN SELECT RAISE(ROLLBACK, 'forbidden entry'); END
      """)
    let error = try #require(throws: SQLiteError.self) {
      try db.inTransaction {
        try log(db, "outer before")
        // The caller expects only the inner part to roll back, but the trigger has ended
        // the whole transaction; what the outer writes next must not commit on its own.
        do {
          try db.inTransaction { try log(db, "forbidden") }
          Issue.record("the trigger's error was swallowed")
        } catch {}
        try log(db, "outer after")
      }
    }
    #expect(error.extendedResultCode == SQLiteError.abort)
    #expect(!db.isInTransaction)
    #expect(try entries(db).isEmpty)
    try db.inTransaction { try log(db, "next") }
    #expect(try entries(db) == ["next"])
  }

  @Test func aSecondWriterIsBusyWhileTheFirstHoldsTheWriteLock() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("renkei.db")
    let first = try makeDatabase(at: path)
    let second = try makeDatabase(at: path)
    try first.inTransaction(.immediate) {
      try log(first, "first")
      let error = try #require(throws: SQLiteError.self) {
        try second.inTransaction(.immediate) { try log(second, "second") }
      }
      #expect(error.resultCode == SQLiteError.busy)
      #expect(error.extendedResultCode == SQLiteError.busy)
      #expect(error.sql == "BEGIN IMMEDIATE")
      #expect(!second.isInTransaction)
      // A plain write outside a transaction waits, then gives up the same way.
      let plain = try #require(throws: SQLiteError.self) { try log(second, "second") }
      #expect(plain.resultCode == SQLiteError.busy)
      // WAL: the reader is not blocked and sees only what was committed.
      #expect(try entries(second).isEmpty)
    }
    try second.inTransaction(.immediate) { try log(second, "second") }
    #expect(try entries(first) == ["first", "second"])
    #expect(try entries(second) == ["first", "second"])
  }

  @Test func aDeferredTransactionThatOnlyReadsDoesNotBlockTheWriter() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("renkei.db")
    let writer = try makeDatabase(at: path)
    let reader = try makeDatabase(at: path)
    try log(writer, "committed")
    try reader.inTransaction(.deferred) {
      #expect(try entries(reader) == ["committed"])
      try writer.inTransaction { try log(writer, "later") }
      #expect(try entries(reader) == ["committed"], "a read transaction keeps its snapshot")
    }
    #expect(try entries(reader) == ["committed", "later"])
  }
}
