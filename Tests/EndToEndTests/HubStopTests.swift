import Foundation
import Testing

/// SIGTERM stops the hub whenever it comes once the hub has said where it listens: the
/// moment a service manager or a script may send it.
@Suite struct HubStopTests {
  /// The hub used to say it listened before it caught SIGTERM, and ignored the signal while
  /// it set up catching it: a stop sent in that moment was lost and the hub ran on. Each
  /// hub here is stopped as soon as its first line is read; one that is still running a
  /// minute later has lost the signal (and is killed, so the test ends).
  @Test func sigtermRightAfterTheListeningLineStopsTheHub() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-stop-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    var lost = 0
    for attempt in 0..<20 {
      let hub = try HubProcess(directory: root + "/hub-\(attempt)")
      kill(hub.process.processIdentifier, SIGTERM)
      var waited = 0
      while hub.process.isRunning && waited < 600 {
        usleep(100_000)
        waited += 1
      }
      if hub.process.isRunning {
        lost += 1
        kill(hub.process.processIdentifier, SIGKILL)
        hub.process.waitUntilExit()
      } else {
        #expect(hub.process.terminationStatus == 0)
      }
    }
    #expect(lost == 0, "\(lost) of 20 hubs ran on after SIGTERM")
  }
}
