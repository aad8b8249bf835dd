import Foundation
import RenkeiStore

/// Says why the replica's storage failed, from what can be checked after the fact: SQLite
/// reports a full disk as SQLITE_FULL but a write stopped by a file-size limit only as a
/// generic I/O error, and the operating system's error number is often gone by then.
enum StorageDiagnosis {
  /// Below this many free bytes the disk counts as full: SQLite needs a few pages per commit.
  static let nearlyFull: UInt64 = 1 << 20

  static func explain(_ error: SQLiteError, directory: String) -> String {
    if let free = freeBytes(directory), free < nearlyFull || error.resultCode == SQLiteError.full {
      return "the disk is full (\(free / 1024) KiB free on the disk holding \(directory))"
    }
    if let limit = fileSizeLimit() {
      let files = ["replica.sqlite", "replica.sqlite-wal", "replica.sqlite-shm"].map { directory + "/" + $0 }
      let largest =
        files.compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? NSNumber }.map(\.uint64Value).max() ?? 0
      // A write that would cross the limit fails, so the file stops just short of it.
      if largest + 65_536 >= limit {
        return "the replica's files reached this process's file-size limit of \(limit) bytes (ulimit -f), as if the disk were full"
      }
    }
    return error.storageProblem ?? error.message
  }

  private static func freeBytes(_ directory: String) -> UInt64? {
    var stats = statvfs()
    guard statvfs(directory, &stats) == 0 else { return nil }
    return UInt64(stats.f_bavail) * UInt64(stats.f_frsize)
  }

  private static func fileSizeLimit() -> UInt64? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
    return UInt64(limit.rlim_cur)
  }
}
