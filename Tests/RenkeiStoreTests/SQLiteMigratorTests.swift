import Foundation
import RenkeiStore
import Synchronization
import Testing

/// The Migrator applies named steps once each, in order, each with its record in one
/// transaction, and refuses a database from a newer Renkei.
@Suite struct SQLiteMigratorTests {
  struct StepFailed: Error, Equatable {}

  /// Counts how often each step body ran. A class so that the step closures share it.
  final class Runs {
    var names: [String] = []
  }

  /// Three steps that create a table, add a column and fill a row; each also notes its
  /// name in `runs`.
  func threeSteps(_ runs: Runs) -> Migrator {
    var migrator = Migrator()
    migrator.registerMigration("001-create-events") { db in
      runs.names.append("001-create-events")
      try db.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, title TEXT NOT NULL) STRICT")
    }
    migrator.registerMigration("002-add-venue") { db in
      runs.names.append("002-add-venue")
      try db.execute("ALTER TABLE events ADD COLUMN venue TEXT")
    }
    migrator.registerMigration("003-seed") { db in
      runs.names.append("003-seed")
      try db.execute("INSERT INTO events(title, venue) VALUES ('説明会', '講堂')")
    }
    return migrator
  }

  @Test func stepsApplyInOrderAndAreRecorded() throws {
    let db = try Database(path: ":memory:")
    let runs = Runs()
    let migrator = threeSteps(runs)
    #expect(try migrator.appliedMigrations(db).isEmpty)
    try migrator.migrate(db)
    #expect(runs.names == ["001-create-events", "002-add-venue", "003-seed"])
    #expect(try migrator.appliedMigrations(db) == ["001-create-events", "002-add-venue", "003-seed"])
    #expect(try db.prepare("SELECT title, venue FROM events").firstRow()?.values == [.text("説明会"), .text("講堂")])
    let stamps = try db.prepare("SELECT applied_at FROM renkei_migrations").rows().map { try $0.string(0) }
    #expect(stamps.count == 3)
    #expect(stamps.allSatisfy { ISO8601DateFormatter().date(from: $0) != nil }, "\(stamps)")
    #expect(!db.isInTransaction)
  }

  @Test func stepsAreNotReappliedOnReopen() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("renkei.db")
    let firstRuns = Runs()
    do {
      let db = try Database(path: path)
      try threeSteps(firstRuns).migrate(db)
    }
    #expect(firstRuns.names.count == 3)

    let runs = Runs()
    let db = try Database(path: path)
    try threeSteps(runs).migrate(db)
    try threeSteps(runs).migrate(db)
    #expect(runs.names.isEmpty)
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 1)
    #expect(try Migrator().appliedMigrations(db) == ["001-create-events", "002-add-venue", "003-seed"])
  }

  @Test func aNewStepAppliesAloneOnTopOfOldOnes() throws {
    let db = try Database(path: ":memory:")
    try threeSteps(Runs()).migrate(db)
    let runs = Runs()
    var migrator = threeSteps(runs)
    migrator.registerMigration("004-index") { db in
      runs.names.append("004-index")
      try db.execute("CREATE INDEX events_title ON events(title)")
    }
    try migrator.migrate(db)
    #expect(runs.names == ["004-index"])
    #expect(try migrator.appliedMigrations(db).last == "004-index")
  }

  /// Two processes open the same old database at once (the nightly sync and a staff
  /// command, just after an upgrade): the one that waited for the write lock finds the step
  /// applied and skips it, instead of running it again and failing.
  @Test func aStepAnotherConnectionAppliedWhileThisOneWaitedIsSkipped() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("shared.db")
    var migrator = Migrator()
    migrator.registerMigration("001-create-events") { db in
      try db.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, title TEXT NOT NULL) STRICT")
    }
    migrator.registerMigration("002-index") { db in try db.execute("CREATE INDEX events_title ON events(title)") }
    let first = try Database(path: path)
    try migrator.prefix(through: "001-create-events").migrate(first)

    // The first connection holds the write lock, as if it were applying step 002.
    try first.execute("BEGIN IMMEDIATE")
    let failure = Mutex<(any Error)?>(nil)
    let finished = DispatchSemaphore(value: 0)
    // Used by the thread alone once started.
    nonisolated(unsafe) let upgrade = migrator
    Thread {
      defer { finished.signal() }
      do {
        // Reads the steps applied (002 is not yet), then waits for the lock.
        let second = try Database(path: path)
        try upgrade.migrate(second)
        second.close()
      } catch { failure.withLock { $0 = error } }
    }.start()
    Thread.sleep(forTimeInterval: 0.3)
    try first.execute("CREATE INDEX events_title ON events(title)")
    try first.prepare("INSERT INTO renkei_migrations(name, applied_at) VALUES ('002-index', '2026-11-27T00:00:00Z')").execute()
    try first.execute("COMMIT")
    finished.wait()

    #expect(failure.withLock { $0 } == nil, "\(failure.withLock { $0 }.map { "\($0)" } ?? "")")
    #expect(try migrator.appliedMigrations(first) == ["001-create-events", "002-index"])
    first.close()
  }

  @Test func aFailingStepRollsBackAndLeavesTheRecordUnchanged() throws {
    let db = try Database(path: ":memory:")
    let runs = Runs()
    var migrator = Migrator()
    migrator.registerMigration("001-create-events") { db in
      try db.execute("CREATE TABLE events(id INTEGER PRIMARY KEY, title TEXT NOT NULL) STRICT")
    }
    migrator.registerMigration("002-half-done") { db in
      try db.execute("CREATE TABLE venues(name TEXT PRIMARY KEY) STRICT")
      try db.execute("INSERT INTO events(title) VALUES ('途中')")
      throw StepFailed()
    }
    migrator.registerMigration("003-never") { _ in runs.names.append("003-never") }

    #expect(throws: StepFailed.self) { try migrator.migrate(db) }
    #expect(try migrator.appliedMigrations(db) == ["001-create-events"])
    #expect(try db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'venues'").firstRow()?.int64(0) == 0)
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 0)
    #expect(runs.names.isEmpty, "no step runs after a failed one")
    #expect(!db.isInTransaction)

    // Running again retries the failed step, not the ones already recorded.
    #expect(throws: StepFailed.self) { try migrator.migrate(db) }
    #expect(try migrator.appliedMigrations(db) == ["001-create-events"])
  }

  @Test func aFailingSQLStepReportsItsSQL() throws {
    let db = try Database(path: ":memory:")
    var migrator = Migrator()
    migrator.registerMigration("001-typo") { db in try db.execute("CREATE TABEL events(id)") }
    let error = try #require(throws: SQLiteError.self) { try migrator.migrate(db) }
    #expect(error.sql == "CREATE TABEL events(id)")
    #expect(try migrator.appliedMigrations(db).isEmpty)
  }

  @Test func aDatabaseFromANewerRenkeiIsRefused() throws {
    let db = try Database(path: ":memory:")
    let newer = Runs()
    var future = threeSteps(newer)
    future.registerMigration("009-from-the-future") { db in try db.execute("CREATE TABLE future(x)") }
    try future.migrate(db)

    let runs = Runs()
    var current = Migrator()
    current.registerMigration("001-create-events") { _ in runs.names.append("001-create-events") }
    current.registerMigration("002-add-venue") { _ in runs.names.append("002-add-venue") }
    current.registerMigration("003-seed") { _ in runs.names.append("003-seed") }
    current.registerMigration("004-only-here") { _ in runs.names.append("004-only-here") }
    let error = try #require(throws: SQLiteError.self) { try current.migrate(db) }
    #expect(error.message.contains("009-from-the-future"), "\(error.message)")
    #expect(error.message.contains("newer"), "\(error.message)")
    #expect(runs.names.isEmpty, "nothing is applied to a database this code does not understand")
    #expect(try current.appliedMigrations(db).count == 4)
  }

  @Test func migratingAnEmptyListOnlyCreatesTheRecord() throws {
    let db = try Database(path: ":memory:")
    try Migrator().migrate(db)
    #expect(try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").rows().map { try $0.string(0) } == ["renkei_migrations"])
  }

  @Test func migrationsInsideACallersTransactionRollBackWithIt() throws {
    let db = try Database(path: ":memory:")
    #expect(throws: StepFailed.self) {
      try db.inTransaction {
        try threeSteps(Runs()).migrate(db)
        throw StepFailed()
      }
    }
    #expect(try Migrator().appliedMigrations(db).isEmpty)
    #expect(try db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'events'").firstRow()?.int64(0) == 0)
  }
}
