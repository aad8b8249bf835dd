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
/// ``restartFrames`` frames the writer waits for the queue and copies what is left itself
/// (see ``committed(frames:connection:schema:)``).
final class BackgroundCheckpointer: Sendable {
  /// How many WAL frames (pages) a commit leaves before the queue is asked to checkpoint:
  /// SQLite's own autocheckpoint threshold.
  static let requestFrames: Int32 = 1_000
  /// How many frames a commit leaves before the writer checkpoints itself.
  static let restartFrames: Int32 = 10_000

  private struct State {
    var requested = false
    var stopped = false
    var completed = 0
    var busy: Duration = .zero
    var lastFailure: String?
  }

  private let path: String
  private let queue = DispatchQueue(label: "renkei.sqlite.checkpoint")
  private let state = Mutex(State())
  /// The queue's connection: opened, used and closed only on `queue`.
  private let connection = QueueConfinedConnection()

  init(path: String) {
    self.path = path
  }

  /// Checkpoints the queue has run that copied back every frame the WAL then held.
  var completedCheckpoints: Int { state.withLock { $0.completed } }

  /// The wall time the queue has spent checkpointing.
  var busySeconds: Double {
    let busy = state.withLock { $0.busy }.components
    return Double(busy.seconds) + Double(busy.attoseconds) / 1e18
  }

  /// Why the queue's last checkpoint failed, nil when it has not; a failed checkpoint loses
  /// nothing (the pages stay in the WAL) and the next one tries again.
  var lastFailure: String? { state.withLock { $0.lastFailure } }

  /// Called by the writer's WAL hook after each commit, on the writer's thread, with its
  /// connection; `frames` is the WAL's length.
  func committed(frames: Int32, connection writer: OpaquePointer?, schema: UnsafePointer<CChar>?) {
    if frames >= Self.restartFrames {
      // Serialised behind the queue's checkpoint: when this returns, every frame is back in
      // the main file, and the writer's next transaction starts the WAL over.
      queue.sync { _ = sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil) }
      return
    }
    guard frames >= Self.requestFrames else { return }
    let enqueue = state.withLock { state -> Bool in
      guard !state.stopped, !state.requested else { return false }
      state.requested = true
      return true
    }
    if enqueue { queue.async { self.checkpoint() } }
  }

  /// Runs a checkpoint on the queue now, after any already asked for, and returns when it
  /// is done.
  func checkpointNow() {
    queue.sync { checkpoint() }
  }

  /// Waits for a running checkpoint to finish and closes the queue's connection; later
  /// requests do nothing.
  func stop() {
    state.withLock { $0.stopped = true }
    queue.sync { connection.close() }
  }

  /// On `queue`.
  private func checkpoint() {
    let stopped = state.withLock { state -> Bool in
      state.requested = false
      return state.stopped
    }
    guard !stopped else { return }
    let start = ContinuousClock.now
    defer { state.withLock { $0.busy += ContinuousClock.now - start } }
    let code: Int32
    var frames: Int32 = 0
    var copied: Int32 = 0
    do {
      code = sqlite3_wal_checkpoint_v2(try connection.open(path), nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied)
    } catch {
      state.withLock { $0.lastFailure = "\(error)" }
      return
    }
    state.withLock { state in
      if code == SQLITE_OK {
        // A reader still on older pages keeps the rest in the WAL until a later checkpoint.
        if copied == frames { state.completed += 1 }
        state.lastFailure = nil
      } else if code != SQLITE_BUSY {
        state.lastFailure = connection.message(code)
      }
    }
  }
}
