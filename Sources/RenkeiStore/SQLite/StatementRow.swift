import CSQLite

/// The row a statement stands on, read column by column where SQLite holds it.
///
/// Reading a ``Row`` copies every column into a Swift value, text through a UTF-8
/// validation and an allocation each; a record's stored JSON is only decoded, so it can be
/// read from SQLite's own bytes instead. Valid only inside ``Statement/withFirstRow(_:_:)``.
/// Each accessor returns or throws exactly what the same accessor of ``Row`` does.
public struct StatementRow: RowColumns {
  let statement: Statement

  private var handle: OpaquePointer { statement.handle }

  /// The text of column `index`, as ``Row/string(_:)`` gives it.
  public func string(_ index: Int) throws -> String {
    try utf8(index) { String(decoding: $0, as: UTF8.self) }
  }

  /// The same, nil for NULL.
  public func optionalString(_ index: Int) throws -> String? {
    if isNull(index) { return nil }
    return try string(index)
  }

  /// The integer of column `index`, as ``Row/int64(_:)`` gives it (anything else is read
  /// through a copied row, for the same error).
  public func int64(_ index: Int) throws -> Int64 {
    guard sqlite3_column_type(handle, Int32(index)) == SQLITE_INTEGER else { return try statement.currentRow().int64(index) }
    return sqlite3_column_int64(handle, Int32(index))
  }

  /// The same, nil for NULL.
  public func optionalInt64(_ index: Int) throws -> Int64? {
    if isNull(index) { return nil }
    return try int64(index)
  }

  /// `body` on the UTF-8 bytes of a text column. They are SQLite's, not checked: a caller
  /// that needs valid UTF-8 checks them, as `String(decoding:)` would repair them.
  public func utf8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
    let column = Int32(index)
    // Anything but text throws the error Row.string gives for it.
    guard sqlite3_column_type(handle, column) == SQLITE_TEXT else {
      _ = try statement.currentRow().string(index)
      preconditionFailure("Row.string accepted a column SQLite does not hold as text")
    }
    // Text first, then its length: asking for the length first may convert the value.
    let start = sqlite3_column_text(handle, column)
    let count = Int(sqlite3_column_bytes(handle, column))
    return try body(UnsafeBufferPointer(start: start, count: count))
  }

  /// `body` on the text column's bytes, nil when it is NULL.
  public func optionalUTF8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
    if isNull(index) { return nil }
    return try utf8(index, body)
  }

  private func isNull(_ index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }
}
