import Foundation
import RenkeiHub
import Synchronization

/// A hub served by a child process (see ``HubChild``), so the hub's memory and CPU are
/// measured apart from the agents', which run in the benchmark's own process.
final class HubProcess {
  let process: Process
  let url: URL
  let logPath: String

  var pid: Int32 { process.processIdentifier }

  /// Starts serving `directory` and waits until the child says where it listens.
  init(directory: String, logPath: String) throws {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["--serve-hub", directory]
    let output = Pipe()
    process.standardOutput = output
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: logPath)
    process.standardInput = FileHandle.nullDevice
    self.logPath = logPath
    try process.run()
    let pid = process.processIdentifier
    Self.running.withLock { _ = $0.insert(pid) }
    var text = ""
    let deadline = ContinuousClock.now + .seconds(60)
    while !text.contains("\n"), ContinuousClock.now < deadline {
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
    }
    guard let range = text.range(of: "listening on "),
      let found = URL(string: String(text[range.upperBound...].prefix { !$0.isWhitespace }))
    else {
      process.terminate()
      process.waitUntilExit()
      let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      throw BenchmarkError("the hub child did not start: \(text) \(log.suffix(500))")
    }
    url = found
  }

  /// The children still running, so an interrupted run can stop them.
  static let running = Mutex<Set<Int32>>([])

  /// Sends SIGTERM to every hub child still running.
  static func terminateAll() {
    for pid in running.withLock({ $0 }) { kill(pid, SIGTERM) }
  }

  var peakBytes: Int? { PeakMemory.peakBytes(of: pid) }
  var cpuSeconds: Double { PeakMemory.cpuSeconds(of: pid) ?? 0 }
  func resetPeak() { PeakMemory.resetPeak(of: pid) }

  /// Stops the hub with SIGTERM, as systemd would, and waits for it to finish its
  /// requests in flight and exit.
  func stop() throws {
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
    let pid = process.processIdentifier
    Self.running.withLock { _ = $0.remove(pid) }
    guard process.terminationStatus == 0 else {
      let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      throw BenchmarkError("the hub child exited with status \(process.terminationStatus): \(log.suffix(500))")
    }
  }

  deinit {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    let pid = process.processIdentifier
    Self.running.withLock { _ = $0.remove(pid) }
  }

  /// How long the hub took to answer each request of one kind, in milliseconds, in the
  /// order they came, from its log (`GET /v1/pull 200 site 12ms`).
  func requestMilliseconds(method: String, path: String) -> [Double] {
    guard let log = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
    let prefix = "\(method) \(path) "
    return log.split(separator: "\n").compactMap { line in
      guard line.hasPrefix(prefix), let last = line.split(separator: " ").last, last.hasSuffix("ms") else { return nil }
      return Double(last.dropLast(2))
    }
  }
}
