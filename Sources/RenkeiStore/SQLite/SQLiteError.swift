import CSQLite
import Foundation

/// An error from SQLite: its result code, its message, and the SQL that caused it.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The extended result code (e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE).
  public let extendedResultCode: Int32
  public let message: String
  public let sql: String?
  /// The operating system's error number behind an I/O failure (`sqlite3_system_errno`),
  /// 0 when there was none: it tells a full disk from a file-size limit from a failing disk.
  public let systemErrorNumber: Int32

  /// The primary result code (e.g. 19 for SQLITE_CONSTRAINT), for matching.
  public var resultCode: Int32 { extendedResultCode & 0xFF }

  public init(extendedResultCode: Int32, message: String, sql: String? = nil, systemErrorNumber: Int32 = 0) {
    self.extendedResultCode = extendedResultCode
    self.message = message
    self.sql = sql
    self.systemErrorNumber = systemErrorNumber
  }

  /// What went wrong with the storage under the database, in words, when the error is one:
  /// a full disk, a quota, a file-size limit, a disk that fails to read or write. Nil for
  /// every other error (a constraint, a busy lock, bad SQL).
  public var storageProblem: String? {
    switch systemErrorNumber {
    case ENOSPC: return "the disk is full (no space left on the device)"
    case EDQUOT: return "the disk quota is exhausted"
    case EFBIG: return "the file would grow past this process's file-size limit (ulimit -f)"
    case EIO: return "the disk reported an input/output error"
    case EROFS: return "the disk is mounted read-only"
    default: break
    }
    switch resultCode {
    case Self.full: return "the disk is full"
    case Self.ioerr: return "the disk could not be written or read (\(String(cString: sqlite3_errstr(extendedResultCode))))"
    default: return nil
    }
  }

  public static let error: Int32 = 1
  public static let abort: Int32 = 4
  public static let busy: Int32 = 5
  public static let readonly: Int32 = 8
  public static let ioerr: Int32 = 10
  public static let corrupt: Int32 = 11
  public static let full: Int32 = 13
  public static let constraint: Int32 = 19
  public static let misuse: Int32 = 21
  public static let notadb: Int32 = 26

  public var description: String {
    let name = String(cString: sqlite3_errstr(extendedResultCode))
    var text = "SQLite error \(extendedResultCode) (\(name)): \(message)"
    if let sql { text += " — in «\(sql)»" }
    return text
  }
}
