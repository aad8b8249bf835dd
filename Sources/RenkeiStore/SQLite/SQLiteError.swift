import CSQLite

/// An error from SQLite: its result code, its message, and the SQL that caused it.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The extended result code (e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE).
  public let extendedResultCode: Int32
  public let message: String
  public let sql: String?

  /// The primary result code (e.g. 19 for SQLITE_CONSTRAINT), for matching.
  public var resultCode: Int32 { extendedResultCode & 0xFF }

  public init(extendedResultCode: Int32, message: String, sql: String? = nil) {
    self.extendedResultCode = extendedResultCode
    self.message = message
    self.sql = sql
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
