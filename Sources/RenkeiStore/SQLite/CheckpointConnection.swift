import CSQLite
import Dispatch

/// The connection a ``BackgroundCheckpointer`` checkpoints with: opened, used and closed only
/// on the checkpointer's serial queue.
///
/// `@unchecked Sendable`: the checkpointer hands it to its queue and touches it nowhere
/// else; each use checks that it runs there, so the queue's order is its lock.
final class CheckpointConnection: @unchecked Sendable {
  private let path: String
  private let queue: DispatchQueue
  private var handle: OpaquePointer?

  init(path: String, queue: DispatchQueue) {
    self.path = path
    self.queue = queue
  }

  /// The connection, opened on first use. It syncs the main file at each checkpoint whatever
  /// SQLite's compiled default (`synchronous = FULL`), and waits up to a second for a lock
  /// another connection holds while it opens (the writer recovering the WAL, say).
  func open() throws -> OpaquePointer {
    dispatchPrecondition(condition: .onQueue(queue))
    if let handle { return handle }
    var opened: OpaquePointer?
    var code = sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
    if code == SQLITE_OK, let opened {
      sqlite3_extended_result_codes(opened, 1)
      sqlite3_busy_timeout(opened, 1000)
      code = sqlite3_exec(opened, "PRAGMA synchronous = FULL", nil, nil, nil)
    }
    guard code == SQLITE_OK, let opened else {
      let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
      sqlite3_close_v2(opened)
      throw SQLiteError(extendedResultCode: code, message: "cannot open \(path) to checkpoint it: \(message)")
    }
    handle = opened
    return opened
  }

  /// What failed, for a checkpoint that returned `code`.
  func failure(_ code: Int32) -> String {
    dispatchPrecondition(condition: .onQueue(queue))
    let detail = handle.map { String(cString: sqlite3_errmsg($0)) } ?? ""
    let name = String(cString: sqlite3_errstr(code))
    return "checkpoint failed: \(name)" + (detail.isEmpty || detail == name ? "" : " (\(detail))")
  }

  func close() {
    dispatchPrecondition(condition: .onQueue(queue))
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }
}
