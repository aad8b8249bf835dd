import CSQLite

extension Database {
  /// Defines `name(text)` in SQL on this connection: `transform` applied to its argument,
  /// NULL for NULL. Declared deterministic and innocuous, so SQLite may use it in triggers,
  /// indexes and views; a trigger that calls it works only on connections that define it.
  public func defineTextFunction(_ name: String, _ transform: @escaping @Sendable (String) -> String) throws {
    let box = Unmanaged.passRetained(TextFunction(transform)).toOpaque()
    // On failure SQLite calls the destructor itself, releasing the box.
    let code = sqlite3_create_function_v2(
      try connection(), name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, box, callTextFunction, nil, nil,
      releaseTextFunction)
    guard code == SQLITE_OK else {
      throw SQLiteError(
        extendedResultCode: code, message: "cannot define the SQL function \(name): \(String(cString: sqlite3_errstr(code)))")
    }
  }
}

/// The Swift closure behind an SQL text function, kept alive by SQLite until the function
/// is replaced or the connection closes.
private final class TextFunction {
  let transform: @Sendable (String) -> String
  init(_ transform: @escaping @Sendable (String) -> String) { self.transform = transform }
}

private func callTextFunction(context: OpaquePointer?, count: Int32, arguments: UnsafeMutablePointer<OpaquePointer?>?) {
  guard count == 1, let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL,
    let user = sqlite3_user_data(context)
  else {
    sqlite3_result_null(context)
    return
  }
  let function = Unmanaged<TextFunction>.fromOpaque(user).takeUnretainedValue()
  // In this order: sqlite3_value_bytes after sqlite3_value_text is the length of that UTF-8 text.
  let bytes = sqlite3_value_text(argument)
  let length = Int(sqlite3_value_bytes(argument))
  let text = bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
  let result = function.transform(text)
  result.utf8CString.withUnsafeBufferPointer { buffer in
    sqlite3_result_text(context, buffer.baseAddress, Int32(buffer.count - 1), renkei_sqlite_transient())
  }
}

private func releaseTextFunction(_ user: UnsafeMutableRawPointer?) {
  guard let user else { return }
  Unmanaged<TextFunction>.fromOpaque(user).release()
}
