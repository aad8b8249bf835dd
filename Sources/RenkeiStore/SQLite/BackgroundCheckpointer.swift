import CSQLite
import Dispatch
import Synchronization

/// Copies a WAL database's committed pages back into its main file on a queue of its own,
/// with a connection of its own, so that the connection that writes does not wait for it.
///
/// By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: that
/// commit writes each page again at its place in the main file and waits for the disk to
/// sync them. In a large hub database those places are scattered over the file, and the
/// wait grew with the history. With this, a commit appends to the WAL and syncs it, as
/// before, and returns; the copying runs beside the next writes.
///
/// SQLite starts the WAL over only when a write transaction begins with every frame copied
/// back. A writer that never pauses would keep the WAL growing, so once it holds
/// ``restartFrames`` frames the writer waits for the queue and copies back what is left
/// itself (see ``committed(frames:connection:schema:)``). As with SQLite's own checkpoints,
/// a reader that holds an old snapshot (a long backup in another process) keeps the frames
/// it may read in the WAL until it ends.
public final class BackgroundCheckpointer: Sendable {
  /// How many frames (pages) a commit must have added to the WAL since the queue was last
  /// asked before it is asked again: SQLite's own autocheckpoint threshold.
  static let requestFrames: Int32 = 1_000
  /// How many frames a commit leaves in the WAL before the writer checkpoints itself.
  static let restartFrames: Int32 = 10_000

  /// Lets a test stand in for the queue's checkpoints.
  enum TestingOverride: Sendable {
    /// The queue does nothing, as if it never got to run.
    case skipQueued
    /// The queue's checkpoints fail with this result code.
    case failQueued(Int32)
  }

  private struct State {
    var requested = false
    var stopped = false
    /// The WAL's length when the queue was last asked.
    var framesAtRequest: Int32 = 0
    var completed = 0
    /// The frames copied back as of the queue's last checkpoint.
    var copied: Int32 = 0
    var busy: Duration = .zero
    var queueFailure: String?
    var writerFailure: String?
    var override: TestingOverride?
  }

  private let queue = DispatchQueue(label: "renkei.sqlite.checkpoint")
  private let state = Mutex(State())
  private let connection: CheckpointConnection

  /// `path` is the file the writer's connection opened, as SQLite names it. The queue opens
  /// its connection at once, so both name the same file even if the path is later reused.
  init(path: String) {
    connection = CheckpointConnection(path: path, queue: queue)
    queue.async { self.openConnection() }
  }

  /// On `queue`.
  private func openConnection() {
    do { _ = try connection.open() } catch let error as SQLiteError where error.resultCode == SQLITE_BUSY {
      // Opened again at the first checkpoint.
    } catch {
      state.withLock { $0.queueFailure = "\(error)" }
    }
  }

  /// Checkpoints the queue has run that copied back every frame the WAL then held (one that
  /// found nothing new to copy is not counted).
  public var completedCheckpoints: Int { state.withLock { $0.completed } }

  /// The wall time the queue has spent checkpointing.
  public var busySeconds: Double {
    let busy = state.withLock { $0.busy }.components
    return Double(busy.seconds) + Double(busy.attoseconds) / 1e18
  }

  /// Why the last checkpoint failed, the queue's or else the writer's own; nil when neither
  /// did. A failed checkpoint loses nothing (the pages stay in the WAL) and the next one
  /// tries again.
  public var lastFailure: String? { state.withLock { $0.queueFailure ?? $0.writerFailure } }

  /// Runs a checkpoint on the queue now, after any already asked for, and returns when it
  /// is done.
  public func checkpointNow() {
    queue.sync { checkpoint() }
  }

  /// Returns when the checkpoints already asked for are done, asking for none.
  public func waitUntilIdle() {
    queue.sync {}
  }

  func override(_ override: TestingOverride?) {
    state.withLock { $0.override = override }
  }

  /// Called by the writer's WAL hook after each commit, on the writer's thread, with its
  /// connection; `frames` is the WAL's length.
  func committed(frames: Int32, connection writer: OpaquePointer?, schema: UnsafePointer<CChar>?) {
    if frames >= Self.restartFrames {
      // Serialised behind the queue's checkpoint, so the two never meet: unless a reader
      // still needs some frames, every frame is back in the main file when this returns,
      // and the writer's next transaction starts the WAL over.
      var code = SQLITE_OK
      queue.sync { code = sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil) }
      let failure = code == SQLITE_OK || code == SQLITE_BUSY ? nil : "checkpoint failed: \(String(cString: sqlite3_errmsg(writer)))"
      state.withLock { $0.writerFailure = failure }
      return
    }
    let ask = state.withLock { state -> Bool in
      // A shorter WAL than at the last request: SQLite has started it over since.
      if frames < state.framesAtRequest { state.framesAtRequest = 0 }
      guard !state.stopped, !state.requested, frames - state.framesAtRequest >= Self.requestFrames else { return false }
      state.requested = true
      state.framesAtRequest = frames
      return true
    }
    if ask { queue.async { self.checkpoint() } }
  }

  /// Waits for a running checkpoint to finish and closes the queue's connection; later
  /// requests do nothing.
  func stop() {
    state.withLock { $0.stopped = true }
    queue.sync { connection.close() }
  }

  /// On `queue`.
  private func checkpoint() {
    let (stopped, override) = state.withLock { state -> (Bool, TestingOverride?) in
      state.requested = false
      return (state.stopped, state.override)
    }
    guard !stopped else { return }
    switch override {
    case .skipQueued?: return
    case .failQueued(let code)?:
      state.withLock { $0.queueFailure = "checkpoint failed: \(String(cString: sqlite3_errstr(code)))" }
      return
    case nil: break
    }
    let start = ContinuousClock.now
    defer { state.withLock { $0.busy += ContinuousClock.now - start } }
    let code: Int32
    var frames: Int32 = 0
    var copied: Int32 = 0
    do {
      code = sqlite3_wal_checkpoint_v2(try connection.open(), nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied)
    } catch let error as SQLiteError where error.resultCode == SQLITE_BUSY {
      return  // Another connection holds the file a moment; the next request tries again.
    } catch {
      state.withLock { $0.queueFailure = "\(error)" }
      return
    }
    let failure = code == SQLITE_OK ? nil : connection.failure(code)
    state.withLock { state in
      // Busy: the writer is checkpointing itself, or another process is; not a failure.
      guard code != SQLITE_BUSY else { return }
      state.queueFailure = failure
      // A reader still on older pages keeps the rest in the WAL until a later checkpoint.
      if failure == nil, frames > 0, copied == frames, copied != state.copied { state.completed += 1 }
      state.copied = copied
    }
  }
}
