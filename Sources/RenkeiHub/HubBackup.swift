import Foundation
import RenkeiStore

/// Backing up and restoring a hub's database with SQLite's online backup API: a backup is
/// taken while the hub serves, and is a consistent snapshot of one moment.
public enum HubBackup {
  /// Writes a snapshot of the hub in `directory` to `file`, then checks it opens and
  /// passes `integrity_check`. Refuses to overwrite an existing file.
  public static func backup(directory: String, to file: String) throws -> Int64 {
    guard !FileManager.default.fileExists(atPath: file) else {
      throw HubError(.invalidSite, "\(file) exists already; choose a new name for the backup")
    }
    let folder = (file as NSString).deletingLastPathComponent
    guard folder.isEmpty || FileManager.default.fileExists(atPath: folder) else {
      throw HubError(.notFound, "cannot write the backup to \(file): the folder \(folder) does not exist")
    }
    let source = HubServer.databasePath(in: directory)
    guard FileManager.default.fileExists(atPath: source) else { throw HubError(.notFound, "\(directory) holds no hub database") }
    let database = try Database(path: source)
    try database.backup(to: file)
    database.close()
    try check(file)
    return (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
  }

  /// Puts a backup in place as the hub database of `directory`. The hub must be stopped;
  /// refuses a directory that already holds a hub (move it aside first) and a damaged backup.
  public static func restore(from file: String, into directory: String) throws {
    try check(file)
    // A hub serving the directory holds its lock: say so first, naming its process, since
    // moving its database aside (what the checks below ask for) would not be enough. A
    // directory without a lock file has never been served, and gets none from a refusal.
    let wasServed = FileManager.default.fileExists(atPath: HubDirectoryLock.path(in: directory))
    let servedLock = wasServed ? try HubDirectoryLock(directory: directory) : nil
    defer { servedLock?.release() }
    let target = HubServer.databasePath(in: directory)
    guard !FileManager.default.fileExists(atPath: target) else {
      throw HubError(.invalidSite, "\(directory) already holds a hub database; stop the hub and move \(target) aside first")
    }
    // SQLite takes a WAL beside a database file as that file's own and replays it: the WAL
    // of the database moved aside (left by a hub that did not stop cleanly, or by one still
    // running) would be written into the restored backup. It belongs with the old file.
    let leftovers = ["-wal", "-shm", "-journal"].map { target + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    guard leftovers.isEmpty else {
      throw HubError(
        .invalidSite,
        "\(leftovers.joined(separator: " and ")) belong\(leftovers.count == 1 ? "s" : "") to the hub database moved aside; "
          + "stop the hub and move \(leftovers.count == 1 ? "it" : "them") aside with it, or SQLite would replay them into the backup")
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    // A hub serving the directory holds its lock (and its files, moved aside or not).
    let lock = try servedLock ?? HubDirectoryLock(directory: directory)
    defer { lock.release() }
    try FileManager.default.copyItem(atPath: file, toPath: target)
    // Opening it as a hub applies any newer migrations and switches it back to WAL. A backup
    // this version cannot open is taken away again, so a failed restore leaves no hub behind.
    do { _ = try Hub(path: target) } catch {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
      throw error
    }
  }

  /// Checks that `file` is a whole hub database: readable, SQLite, passing `integrity_check`,
  /// and holding the hub's schema (a replica's database is SQLite too, but not a hub).
  private static func check(_ file: String) throws {
    guard FileManager.default.isReadableFile(atPath: file) else { throw HubError(.notFound, "cannot read \(file)") }
    let notABackup = "\(file) is not a Renkei hub backup"
    let database: Database
    let result: [String]
    do {
      var options = Database.Options()
      options.readOnly = true
      database = try Database(path: file, options: options)
      result = try database.integrityCheck()
    } catch let error as SQLiteError where error.resultCode == SQLiteError.corrupt || error.resultCode == SQLiteError.notadb {
      throw HubError(.invalidSite, "\(notABackup): it is damaged or not an SQLite database")
    }
    defer { database.close() }
    guard result == ["ok"] else { throw HubError(.invalidSite, "\(file) fails integrity_check: \(result.prefix(3).joined(separator: "; "))") }
    let hasMigrations =
      try database.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'renkei_migrations'")
      .rows().first?.int64(0) == 1
    let holdsAHub =
      try hasMigrations
      && database.prepare("SELECT count(*) FROM renkei_migrations WHERE name = '001-hub'").rows().first?.int64(0) == 1
    guard holdsAHub else {
      throw HubError(.invalidSite, "\(notABackup): it does not hold a hub's tables (a replica's replica.sqlite is not a hub)")
    }
  }
}
