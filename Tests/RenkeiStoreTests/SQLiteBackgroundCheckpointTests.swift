import Foundation
import RenkeiStore
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

  func pragma(_ database: Database, _ name: String) throws -> DatabaseValue? {
    try database.prepare("PRAGMA \(name)").firstRow()?[0]
  }

  @Test func withoutTheOptionSQLiteCheckpointsInsideTheCommit() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let database = try open(directory.path("plain.db"), inBackground: false)
    #expect(try pragma(database, "wal_autocheckpoint") == .integer(1000))
    #expect(database.backgroundCheckpoints == nil)
    try write(1_200, into: database)
    // SQLite's own checkpoint ran in the commit: the pages are in the main file already.
    #expect(fileSize(directory.path("plain.db")) > 1_200 * Self.pageSize)
  }

  @Test func theQueueCopiesCommittedPagesBackIntoTheMainFile() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("hub.db")
    let database = try open(path)
    // SQLite's autocheckpoint is off on the writer's connection (its WAL hook is ours).
    #expect(try pragma(database, "wal_autocheckpoint") == .integer(0))
    #expect(database.backgroundCheckpoints == 0)
    for _ in 0..<3 { try write(1_200, into: database) }
    database.finishBackgroundCheckpoints()
    #expect(try #require(database.backgroundCheckpoints) >= 1)
    #expect(database.backgroundCheckpointFailure == nil)
    #expect(try #require(database.backgroundCheckpointSeconds) > 0)
    #expect(fileSize(path) > 3 * 1_200 * Self.pageSize)
    // A reader opened now sees every row, from the main file.
    let reader = try Database(path: path)
    #expect(try reader.prepare("SELECT count(*) FROM pages").firstRow()?.int64(0) == 3_600)
    reader.close()
    database.close()
  }

  /// SQLite starts the WAL over only when a write begins with every frame copied back,
  /// which a writer that never pauses might never give the queue: past 10,000 frames the
  /// writer copies back the rest itself, so the WAL stops growing.
  @Test func aWriterThatNeverPausesKeepsTheWALShort() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("busy.db")
    let database = try open(path)
    let rowsPerTransaction = 700
    for _ in 0..<40 { try write(rowsPerTransaction, into: database) }
    // 28,000 rows went through the WAL; it never held more than the restart threshold and
    // one transaction's frames (with a few more for the table's inner pages).
    let longest = (10_000 + rowsPerTransaction + 200) * Self.frameBytes + 32
    #expect(fileSize(path + "-wal") <= longest)
    #expect(fileSize(path + "-wal") > 0)
    #expect(try database.prepare("SELECT count(*) FROM pages").firstRow()?.int64(0) == 28_000)
    database.close()
  }

  @Test func closingCheckpointsEverythingAndRemovesTheWAL() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("closing.db")
    let database = try open(path)
    for _ in 0..<4 { try write(900, into: database) }
    database.close()
    // The queue's connection closed first, so the writer's was the last: SQLite checkpointed
    // the whole WAL and removed it, as it does without the queue.
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(database.backgroundCheckpoints == nil)
    let reopened = try open(path)
    #expect(try reopened.prepare("SELECT count(*) FROM pages").firstRow()?.int64(0) == 3_600)
    #expect(try reopened.integrityCheck() == ["ok"])
    reopened.close()
  }

  /// A checkpoint that fails loses nothing: the pages stay in the WAL, the failure is kept
  /// for the owner to report, and the next checkpoint that can run clears it. (The queue's
  /// connection opens on first use, by path: with the file moved away it cannot.)
  @Test func aFailedCheckpointIsReportedAndTheNextOneCatchesUp() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let path = directory.path("moving.db")
    let database = try open(path)
    try FileManager.default.moveItem(atPath: path, toPath: directory.path("moved.db"))
    try write(1_200, into: database)
    database.finishBackgroundCheckpoints()
    let failure = try #require(database.backgroundCheckpointFailure)
    #expect(failure.contains("cannot open"), "\(failure)")
    #expect(database.backgroundCheckpoints == 0)
    try FileManager.default.moveItem(atPath: directory.path("moved.db"), toPath: path)
    try write(1_200, into: database)
    database.finishBackgroundCheckpoints()
    #expect(database.backgroundCheckpointFailure == nil)
    #expect(try #require(database.backgroundCheckpoints) >= 1)
    #expect(fileSize(path) > 2 * 1_200 * Self.pageSize)
    database.close()
    let reopened = try open(path)
    #expect(try reopened.prepare("SELECT count(*) FROM pages").firstRow()?.int64(0) == 2_400)
    #expect(try reopened.integrityCheck() == ["ok"])
    reopened.close()
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
    #expect(database.backgroundCheckpoints == nil)
    var inMemory = Database.Options()
    inMemory.checkpointsInBackground = true
    #expect(try Database(path: ":memory:", options: inMemory).backgroundCheckpoints == nil)
    database.close()
  }
}
