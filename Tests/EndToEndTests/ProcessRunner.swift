import Foundation

/// Runs the built binaries as separate processes and captures what they print.
struct ProcessResult {
  var status: Int32
  var stdout: String
  var stderr: String
  /// True when a signal ended the process (then `status` is the signal's number).
  var signalled = false
}

enum ProcessRunner {
  /// What a running child has printed to `pipe` up to its first line's end (or all it
  /// printed, if it closed the pipe first).
  static func firstLine(of pipe: Pipe) -> String {
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = pipe.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    return String(decoding: line, as: UTF8.self)
  }

  @discardableResult
  static func run(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try runExecutable(BinaryLocation.url(of: binary).path, arguments, environment: environment)
  }

  /// Runs any executable by path (openssl, nginx) the same way.
  @discardableResult
  static func runExecutable(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.merge(environment) { _, new in new }
    process.environment = merged
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
      signalled: process.terminationReason == .uncaughtSignal)
  }
}

/// A `renkei-hub serve` process on a free loopback port, stopped with SIGTERM.
final class HubProcess {
  let directory: String
  let process = Process()
  private(set) var url = ""

  /// The command the hub runs under (`strace -f -o FILE --`), if any.
  let launcher: [String]

  /// - Parameters:
  ///   - listen: the `--listen` address; its port should be 0.
  ///   - logPath: a file for the hub's log (standard error), or nil to drop it.
  ///   - environment: added to the hub's own.
  init(
    directory: String, launcher: [String] = [], listen: String = "127.0.0.1:0", logPath: String? = nil,
    environment: [String: String] = [:]
  ) throws {
    self.directory = directory
    self.launcher = launcher
    let arguments = ["--dir", directory, "serve", "--listen", listen]
    if let program = launcher.first {
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = Array(launcher.dropFirst()) + [BinaryLocation.url(of: "renkei-hub").path] + arguments
    } else {
      process.executableURL = BinaryLocation.url(of: "renkei-hub")
      process.arguments = arguments
    }
    let out = Pipe()
    process.standardOutput = out
    // An existing file is kept (a test may have named its inode to the hub): only opened.
    if let logPath, !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
    process.standardError = FileHandle(forWritingAtPath: logPath ?? "/dev/null")
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
    try process.run()
    // The first line names the bound port: "… listening on http://127.0.0.1:PORT, data in …".
    let text = ProcessRunner.firstLine(of: out)
    guard let start = text.range(of: "http://"), let end = text.range(of: ",", range: start.upperBound..<text.endIndex) else {
      process.terminate()
      throw EndToEndFailure("renkei-hub did not say where it listens: \(text.debugDescription)")
    }
    url = String(text[start.lowerBound..<end.lowerBound])
  }

  /// Registers a site and writes its token to a file; returns the file's path.
  func addSite(_ name: String, role: String, scope: String) throws -> String {
    let result = try ProcessRunner.run("renkei-hub", ["--dir", directory, "site", "add", name, "--role", role, "--scope", scope])
    guard result.status == 0 else { throw EndToEndFailure("site add \(name) failed: \(result.stderr)") }
    let path = directory + "/../\(name).token"
    try result.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Sends SIGTERM and waits; returns the exit status.
  @discardableResult
  func stop() -> Int32 {
    if process.isRunning {
      // Under a launcher the hub is its child: stop the hub, and the launcher ends with it
      // (a tracer sent SIGTERM itself would detach and leave the hub running).
      let children = launcher.isEmpty ? [] : Self.children(of: process.processIdentifier)
      if children.isEmpty { process.terminate() }
      for child in children { kill(child, SIGTERM) }
      process.waitUntilExit()
    }
    return process.terminationStatus
  }

  private static func children(of pid: Int32) -> [Int32] {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  }

  deinit { _ = stop() }
}

struct EndToEndFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
