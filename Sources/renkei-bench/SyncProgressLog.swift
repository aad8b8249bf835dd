import Foundation
import Synchronization

/// Collects a sync's progress lines with the time each came.
final class SyncProgressLog: Sendable {
  struct State {
    var lastPush: ContinuousClock.Instant?
    var pulls: [(at: ContinuousClock.Instant, count: Int)] = []
    var peakWhilePulling: Int?
    var pushSnapshot: [Int]?
  }

  private let recorded = Mutex(State())
  private let snapshot: (@Sendable () -> [Int])?

  init(snapshot: (@Sendable () -> [Int])?) { self.snapshot = snapshot }

  var state: State { recorded.withLock { $0 } }

  func record(_ line: String) {
    let now = ContinuousClock.now
    if line.hasPrefix("pushed ") {
      let taken = snapshot?()
      recorded.withLock {
        $0.lastPush = now
        $0.pushSnapshot = taken
      }
    } else if line.hasPrefix("pulled "), let count = Int(line.split(separator: " ")[1]) {
      let peak = PeakMemory.peakBytes()
      recorded.withLock {
        $0.pulls.append((now, count))
        $0.peakWhilePulling = peak
      }
    }
  }
}
