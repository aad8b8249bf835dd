import Foundation
@testable import RenkeiStore
import Testing

/// `checkpointsInBackground`: a commit no longer copies the WAL back into the main file
/// itself; a queue with a connection of its own does, and the writer steps in only when the
/// WAL grows long.
@Suite struct SQLiteBackgroundCheckpointTests {
  static let pageSize = 2048
  /// A WAL frame: its 24-byte header and one page.
  static let frameBytes = pageSize + 24

  func open(_ path: String, inBackground: Bool = true) throws -> Database {
    var options = Database.Options()
    options.pageSize = Self.pageSize
    options.checkpointsInBackground = inBackground
    let database = try Database(path: path, options: options)
    try database.execute("CREATE TABLE IF NOT EXISTS pages (body BLOB NOT NULL) STRICT")
    return database
  }

  /// One transaction of `rows` rows that each fill about a page: about `rows` WAL frames.
  func write(_ rows: Int, into database: Database) throws {
    try database.inTransaction {
      let insert = try database.cachedStatement("INSERT INTO pages(body) VALUES (randomblob(1500))")
      for _ in 0..<rows { try insert.execute() }
    }
  }

  func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
  }

  func rowCount(_ database: Database) throws -> Int64? {
    try database.prepare("SELECT count(*) FROM pages").firstRow()?.int64(0)
  }

  /// Opens the file again after its writer closed: its rows, and whether it is sound.
  func reopened(_ path: String) throws -> (rows: Int64?, integrity: [String]) {
    let database = try open(path)
    defer { database.close() }
    return (try rowCount(database), try database.integrityCheck())
  }

  func pragma(_ database: Database, _ name: String) throws -> DatabaseValue? {
    try database.prepare("PRAGMA \(name)").firstRow()?[0]
  }

  @Test func withoutTheOptionSQLiteCheckpointsInsideTheCommit() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let database = try open(directory.path("plain.db"), inBackground: false)
    #expect(try pragma(database, "wal_autocheckpoint") == .integer(1000))
    #expect(database.backgroundCheckpointer == nil)
    try write(1_200, into: database)
    // SQLite's own checkpoint ran in the commit: the pages are in the main file already.
    #expect(fileSize(directory.path("plain.db")) > 1_200 * Self.pageSize)
  }

  /// A commit that leaves 1,000 pages in the WAL asks the queue, which copies them back
  /// while the writer goes on; nothing here asks the queue but the commit.
  @Test func aCommitAsksTheQueueWhichCopiesThePagesBack() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("hub.db")
    let database = try open(path)
    // SQLite's autocheckpoint is off on the writer's connection (its WAL hook is ours).
    #expect(try pragma(database, "wal_autocheckpoint") == .integer(0))
    let checkpointer = try #require(database.backgroundCheckpointer)
    try write(900, into: database)
    try write(300, into: database)
    let deadline = ContinuousClock.now + .seconds(60)
    while checkpointer.completedCheckpoints == 0 && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
    #expect(checkpointer.completedCheckpoints >= 1, "the queue never checkpointed")
    #expect(checkpointer.lastFailure == nil)
    #expect(checkpointer.busySeconds > 0)
    #expect(fileSize(path) > 1_200 * Self.pageSize)
    // A reader opened now sees every row.
    let reader = try Database(path: path)
    #expect(try rowCount(reader) == 1_200)
    reader.close()
    database.close()
  }

  /// Waiting for the queue returns once the checkpoint a commit asked for is done, and
  /// asks for none itself (the benchmark counts a replay's checkpoints this way).
  @Test func waitingUntilIdleFinishesTheAskedCheckpointAndAsksForNone() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("idle.db")
    let database = try open(path)
    let checkpointer = try #require(database.backgroundCheckpointer)
    try write(500, into: database)
    checkpointer.waitUntilIdle()
    #expect(checkpointer.completedCheckpoints == 0, "a short WAL was checkpointed")
    try write(900, into: database)
    checkpointer.waitUntilIdle()
    #expect(checkpointer.completedCheckpoints == 1)
    #expect(fileSize(path) > 1_400 * Self.pageSize)
    database.close()
  }

  /// Commits below the threshold leave the copying to SQLite at close; a checkpoint with
  /// nothing to copy is not counted as one.
  @Test func aShortWALIsLeftAloneAndAnEmptyCheckpointCountsForNothing() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("short.db")
    let database = try open(path)
    let checkpointer = try #require(database.backgroundCheckpointer)
    checkpointer.checkpointNow()
    #expect(checkpointer.completedCheckpoints == 1)  // the table's creation, copied back
    checkpointer.checkpointNow()
    #expect(checkpointer.completedCheckpoints == 1)
    try write(500, into: database)
    #expect(fileSize(path) < 100 * Self.pageSize)
    database.close()
    #expect(fileSize(path) > 500 * Self.pageSize)
  }

  /// SQLite starts the WAL over only when a write begins with every frame copied back,
  /// which a writer that never pauses might never give the queue: past 10,000 frames the
  /// writer copies back the rest itself. Here the queue never runs, so only the writer can
  /// keep the WAL short.
  @Test func aWriterThatNeverPausesKeepsTheWALShort() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("busy.db")
    let database = try open(path)
    let checkpointer = try #require(database.backgroundCheckpointer)
    checkpointer.override(.skipQueued)
    let rowsPerTransaction = 700
    for _ in 0..<40 { try write(rowsPerTransaction, into: database) }
    // 28,000 rows went through the WAL; it never held more than the restart threshold and
    // one transaction's frames (with a few more for the table's inner pages).
    let longest = (10_000 + rowsPerTransaction + 200) * Self.frameBytes + 32
    #expect(fileSize(path + "-wal") <= longest)
    #expect(fileSize(path) > 9_000 * Self.pageSize)
    #expect(checkpointer.completedCheckpoints == 0)
    #expect(checkpointer.lastFailure == nil)
    #expect(try rowCount(database) == 28_000)
    database.close()
  }

  @Test func closingCopiesEverythingBackAndRemovesTheWAL() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("closing.db")
    let database = try open(path)
    for _ in 0..<4 { try write(900, into: database) }
    database.close()
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(database.backgroundCheckpointer == nil)
    let after = try reopened(path)
    #expect(after.rows == 3_600)
    #expect(after.integrity == ["ok"])
  }

  /// A checkpoint that fails loses nothing: the pages stay in the WAL, the failure is kept
  /// for the owner to report, and the next checkpoint that works clears it.
  @Test func aFailedCheckpointIsReportedAndTheNextOneCatchesUp() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("failing.db")
    let database = try open(path)
    let checkpointer = try #require(database.backgroundCheckpointer)
    checkpointer.override(.failQueued(SQLiteError.ioerr))
    try write(1_200, into: database)
    checkpointer.checkpointNow()
    let failure = try #require(checkpointer.lastFailure)
    #expect(failure.contains("disk I/O error"), "\(failure)")
    #expect(checkpointer.completedCheckpoints == 0)
    #expect(fileSize(path) < 100 * Self.pageSize)
    checkpointer.override(nil)
    try write(1_200, into: database)
    checkpointer.checkpointNow()
    #expect(checkpointer.lastFailure == nil)
    #expect(checkpointer.completedCheckpoints >= 1)
    #expect(fileSize(path) > 2 * 1_200 * Self.pageSize)
    database.close()
    let after = try reopened(path)
    #expect(after.rows == 2_400)
    #expect(after.integrity == ["ok"])
  }

  /// Only a WAL file has a checkpoint to move: other journals and in-memory databases open
  /// as before, without a queue.
  @Test(arguments: [Database.JournalMode.delete, .memory])
  func aDatabaseWithoutAWALGetsNoQueue(journal: Database.JournalMode) throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    var options = Database.Options()
    options.journalMode = journal
    options.checkpointsInBackground = true
    let database = try Database(path: directory.path("journal.db"), options: options)
    #expect(database.backgroundCheckpointer == nil)
    var inMemory = Database.Options()
    inMemory.checkpointsInBackground = true
    #expect(try Database(path: ":memory:", options: inMemory).backgroundCheckpointer == nil)
    database.close()
  }
}
