import CSQLite

/// A raw SQLite connection that one serial queue opens, uses and closes, for a
/// ``BackgroundCheckpointer``.
///
/// `@unchecked Sendable`: the checkpointer hands it to its queue and touches it nowhere
/// else, so the queue's order is its lock.
final class QueueConfinedConnection: @unchecked Sendable {
  private var handle: OpaquePointer?

  /// The connection to `path`, opened on first use. It syncs the main file at each
  /// checkpoint whatever SQLite's compiled default (`synchronous = FULL`).
  func open(_ path: String) throws -> OpaquePointer {
    if let handle { return handle }
    var opened: OpaquePointer?
    let code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
    guard code == SQLITE_OK, let opened else {
      let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
      sqlite3_close_v2(opened)
      throw SQLiteError(extendedResultCode: code, message: "cannot open \(path) to checkpoint it: \(message)")
    }
    let synced = sqlite3_exec(opened, "PRAGMA synchronous = FULL", nil, nil, nil)
    guard synced == SQLITE_OK else {
      let message = String(cString: sqlite3_errmsg(opened))
      sqlite3_close_v2(opened)
      throw SQLiteError(extendedResultCode: synced, message: "cannot set up the checkpoint connection to \(path): \(message)")
    }
    handle = opened
    return opened
  }

  /// SQLite's message for the last failure on this connection.
  func message(_ code: Int32) -> String {
    let text = handle.map { String(cString: sqlite3_errmsg($0)) } ?? ""
    return "checkpoint failed: \(String(cString: sqlite3_errstr(code)))" + (text.isEmpty ? "" : " (\(text))")
  }

  func close() {
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }
}
