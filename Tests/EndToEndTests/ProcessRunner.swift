import Foundation

/// Runs the built binaries as separate processes and captures what they print.
struct ProcessResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

enum ProcessRunner {
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
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A `renkei-hub serve` process on a free loopback port, stopped with SIGTERM.
final class HubProcess {
  let directory: String
  let process = Process()
  private(set) var url = ""

  init(directory: String) throws {
    self.directory = directory
    process.executableURL = BinaryLocation.url(of: "renkei-hub")
    process.arguments = ["--dir", directory, "serve", "--listen", "127.0.0.1:0"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    // The first line names the bound port: "… listening on http://127.0.0.1:PORT, data in …".
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
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
      process.terminate()
      process.waitUntilExit()
    }
    return process.terminationStatus
  }

  deinit { _ = stop() }
}

struct EndToEndFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
