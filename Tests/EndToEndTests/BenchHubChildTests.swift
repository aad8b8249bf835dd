import Foundation
import Testing

/// The hub child `renkei-bench` runs its sync workloads against (`--serve-hub DIR`) stops on
/// SIGTERM whenever it comes once it has said where it listens, as `renkei-hub serve` does
/// (``HubStopTests``): the benchmark stops it as soon as a workload is done.
@Suite struct BenchHubChildTests {
  /// Starts `renkei-bench --serve-hub` and returns once it has printed its first line.
  func startChild(directory: String) throws -> (process: Process, line: String) {
    let process = Process()
    process.executableURL = BinaryLocation.url(of: "renkei-bench")
    process.arguments = ["--serve-hub", directory]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    return (process, ProcessRunner.firstLine(of: out))
  }

  /// The child used to say it listened before it caught SIGTERM: a stop sent in that
  /// moment killed it by the signal (no drain, a nonzero status the benchmark reports as a
  /// failure) or, once it ignored the signal, was lost and the child ran on. Each child here
  /// is stopped as soon as its first line is read; one still running a minute later has lost
  /// the signal (and is killed, so the test ends).
  @Test func sigtermRightAfterTheListeningLineStopsTheChildCleanly() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-bench-child-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    var lost = 0
    var unclean: [String] = []
    for attempt in 0..<20 {
      let (child, line) = try startChild(directory: root + "/hub-\(attempt)")
      #expect(line.hasPrefix("listening on http://127.0.0.1:"), "\(line)")
      kill(child.processIdentifier, SIGTERM)
      var waited = 0
      while child.isRunning && waited < 600 {
        usleep(100_000)
        waited += 1
      }
      if child.isRunning {
        lost += 1
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
      } else if child.terminationReason != .exit || child.terminationStatus != 0 {
        unclean.append("\(child.terminationReason == .exit ? "exit" : "signal") \(child.terminationStatus)")
      }
    }
    #expect(lost == 0, "\(lost) of 20 hub children ran on after SIGTERM")
    #expect(unclean.isEmpty, "hub children that did not stop cleanly: \(unclean)")
  }
}
