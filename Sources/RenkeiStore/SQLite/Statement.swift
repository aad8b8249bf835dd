import CSQLite

/// A prepared statement. Finalized when released. Not Sendable: it belongs to its
/// connection's owner.
public final class Statement {
  let handle: OpaquePointer
  let connection: OpaquePointer
  public let sql: String

  /// True while `forEachRow` is handing rows to its body, which may ask the cache for the
  /// same SQL again.
  var isIterating = false
  /// True while the statement is reset, with nothing bound, since ``Database`` handed it out
  /// of its cache: running it then need not reset it and clear its bindings a second time.
  var isPristine = false
  /// Where each run is noted, while the database has a ``StatementLog``.
  var log: StatementLog?

  init(connection: OpaquePointer, sql: String) throws {
    var handle: OpaquePointer?
    var holdsMore = false
    let code = sql.withCString { text in
      var tail: UnsafePointer<CChar>?
      let code = sqlite3_prepare_v3(connection, text, -1, 0, &handle, &tail)
      // SQLite compiles only the first statement and would silently ignore the rest, so a
      // second one is refused; a tail of only spaces, comments or `;` prepares to nothing.
      if code == SQLITE_OK, let tail, tail.pointee != 0 {
        var next: OpaquePointer?
        holdsMore = sqlite3_prepare_v3(connection, tail, -1, 0, &next, nil) != SQLITE_OK || next != nil
        sqlite3_finalize(next)
      }
      return code
    }
    guard code == SQLITE_OK else {
      throw SQLiteError(extendedResultCode: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
    // SQL of only spaces or comments prepares to no statement with SQLITE_OK, which must
    // not become an error carrying code 0.
    guard let handle else {
      throw SQLiteError(extendedResultCode: SQLiteError.misuse, message: "no SQL statement to prepare", sql: sql)
    }
    guard !holdsMore else {
      sqlite3_finalize(handle)
      throw SQLiteError(
        extendedResultCode: SQLiteError.misuse, message: "more than one SQL statement: prepare one at a time, or use Database.execute",
        sql: sql)
    }
    self.handle = handle
    self.connection = connection
    self.sql = sql
  }

  deinit { sqlite3_finalize(handle) }

  /// Binds positional values, from parameter 1.
  public func bind(_ values: [DatabaseValue]) throws {
    guard values.count == Int(sqlite3_bind_parameter_count(handle)) else {
      throw SQLiteError(
        extendedResultCode: SQLiteError.misuse,
        message: "\(values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
    }
    for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
  }

  public func bind(_ value: DatabaseValue, at index: Int32) throws {
    isPristine = false
    let code: Int32
    switch value {
    case .null: code = sqlite3_bind_null(handle, index)
    case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
    case .real(let number): code = sqlite3_bind_double(handle, index, number)
    case .text(let text):
      // Bound with its byte count, not as a C string, which would end at the first NUL
      // inside the text and silently store only what came before it. The string's own
      // UTF-8 storage is handed over (SQLite copies it): a C-string copy first was an
      // allocation and a copy of every stored state and change body.
      var text = text
      code = text.withUTF8 { utf8 in
        // An empty buffer may have no address, and a null pointer would bind NULL, not ''.
        guard let start = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, renkei_sqlite_transient()) }
        return start.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
          sqlite3_bind_text(handle, index, $0, Int32(utf8.count), renkei_sqlite_transient())
        }
      }
    case .blob(let bytes):
      code = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), renkei_sqlite_transient()) }
    }
    try check(code)
  }

  /// Binds UTF-8 bytes as text, such as canonical JSON a writer produced as bytes: making
  /// them a `String` first would only validate and copy them once more. The caller vouches
  /// that they are valid UTF-8; SQLite stores them as they are.
  public func bind(utf8Text bytes: [UInt8], at index: Int32) throws {
    isPristine = false
    let code = bytes.withUnsafeBufferPointer { utf8 in
      guard let start = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, renkei_sqlite_transient()) }
      return start.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), renkei_sqlite_transient())
      }
    }
    try check(code)
  }

  /// Runs to completion with the values bound one by one since the statement was last
  /// reset (``Database/cachedStatement(_:)`` resets it and clears its bindings), then resets.
  /// A statement from ``Database/prepare(_:)`` keeps its bindings from run to run: a
  /// parameter not bound again keeps its last value.
  public func run() throws {
    isIterating = true
    defer {
      isIterating = false
      reset()
    }
    while try step() {}
  }

  /// Binds named parameters (`:name`, `@name` or `$name`).
  public func bind(named values: [String: DatabaseValue]) throws {
    for (name, value) in values {
      let index = sqlite3_bind_parameter_index(handle, name)
      guard index > 0 else {
        throw SQLiteError(extendedResultCode: SQLiteError.misuse, message: "no parameter named \(name)", sql: sql)
      }
      try bind(value, at: index)
    }
  }

  /// Steps once; true when a row is available.
  public func step() throws -> Bool {
    isPristine = false
    let code = sqlite3_step(handle)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let error = currentError(code)
      sqlite3_reset(handle)
      throw error
    }
  }

  /// Binds, runs to completion and resets.
  public func execute(_ values: [DatabaseValue] = []) throws {
    try forEachRow(values) { _ in }
  }

  public func rows(_ values: [DatabaseValue] = []) throws -> [Row] {
    var rows: [Row] = []
    try forEachRow(values) { rows.append($0) }
    return rows
  }

  public func firstRow(_ values: [DatabaseValue] = []) throws -> Row? {
    defer { reset() }
    try prepareRun(values, readsEveryRow: false)
    return try step() ? currentRow() : nil
  }

  /// Runs `body` on the first row where SQLite holds it, nil when there is none: columns
  /// are read in place, so stored JSON can be decoded from SQLite's bytes without first
  /// becoming a `Row` of strings. The row is valid only inside `body`.
  public func withFirstRow<T>(_ values: [DatabaseValue] = [], _ body: (StatementRow?) throws -> T) throws -> T {
    isIterating = true
    defer {
      isIterating = false
      reset()
    }
    try prepareRun(values, readsEveryRow: false)
    return try body(try step() ? StatementRow(statement: self) : nil)
  }

  /// Streams rows without holding them all.
  public func forEachRow(_ values: [DatabaseValue] = [], _ body: (Row) throws -> Void) throws {
    isIterating = true
    defer {
      isIterating = false
      reset()
    }
    try prepareRun(values, readsEveryRow: true)
    while try step() { try body(currentRow()) }
  }

  public func reset() { sqlite3_reset(handle) }
  public func clearBindings() { sqlite3_clear_bindings(handle) }

  private func prepareRun(_ values: [DatabaseValue], readsEveryRow: Bool) throws {
    log?.record(sql, values, readsEveryRow: readsEveryRow)
    if !isPristine {
      sqlite3_reset(handle)
      sqlite3_clear_bindings(handle)
    }
    if !values.isEmpty || sqlite3_bind_parameter_count(handle) > 0 { try bind(values) }
  }

  func currentRow() -> Row {
    let count = sqlite3_column_count(handle)
    var names: [String] = []
    var values: [DatabaseValue] = []
    names.reserveCapacity(Int(count))
    values.reserveCapacity(Int(count))
    for column in 0..<count {
      names.append(String(cString: sqlite3_column_name(handle, column)))
      switch sqlite3_column_type(handle, column) {
      case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, column)))
      case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, column)))
      case SQLITE_TEXT:
        let length = Int(sqlite3_column_bytes(handle, column))
        let pointer = sqlite3_column_text(handle, column)!
        values.append(.text(String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)))
      case SQLITE_BLOB:
        let length = Int(sqlite3_column_bytes(handle, column))
        if length == 0 {
          values.append(.blob([]))
        } else {
          let pointer = sqlite3_column_blob(handle, column)!.assumingMemoryBound(to: UInt8.self)
          values.append(.blob(Array(UnsafeBufferPointer(start: pointer, count: length))))
        }
      default: values.append(.null)
      }
    }
    return Row(columnNames: names, values: values)
  }

  private func check(_ code: Int32) throws {
    guard code == SQLITE_OK else { throw currentError(code) }
  }

  private func currentError(_ code: Int32) -> SQLiteError {
    let extended = sqlite3_extended_errcode(connection)
    return SQLiteError(
      extendedResultCode: extended & 0xFF == code & 0xFF ? extended : code, message: String(cString: sqlite3_errmsg(connection)), sql: sql,
      systemErrorNumber: sqlite3_system_errno(connection))
  }
}
