import Foundation

/// Headless Chromium, run as a separate process to look at the reports the way a person
/// would: render, screenshot, print to PDF, and report what the page logged.
struct Chromium: Sendable {
  let executable: URL

  /// The first of `chromium`, `chromium-browser`, `google-chrome` on PATH, if any.
  static let installed: Chromium? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
      for directory in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return Chromium(executable: candidate) }
      }
    }
    return nil
  }()

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Lines the page wrote to the console, errors and uncaught exceptions among them. A
    /// report has no script, so any line at all means something is wrong.
    var consoleLines: [String] {
      stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
    }
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// Runs headless Chromium on `page` with `arguments`, its own throwaway profile under
  /// `workDirectory`, output and log written there as `<name>.stdout` / `<name>.stderr`.
  func run(_ arguments: [String], page: URL, name: String, in workDirectory: URL, timeout: TimeInterval = 120) throws -> Run {
    let profile = workDirectory.appendingPathComponent("profile-\(name)", isDirectory: true)
    try? FileManager.default.removeItem(at: profile)
    defer { try? FileManager.default.removeItem(at: profile) }
    let stdoutFile = workDirectory.appendingPathComponent("\(name).stdout")
    let stderrFile = workDirectory.appendingPathComponent("\(name).stderr")
    try Data().write(to: stdoutFile)
    try Data().write(to: stderrFile)
    let stdout = try FileHandle(forWritingTo: stdoutFile)
    let stderr = try FileHandle(forWritingTo: stderrFile)
    defer {
      try? stdout.close()
      try? stderr.close()
    }

    let process = Process()
    process.executableURL = executable
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
      ] + arguments + [page.absoluteString]
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      throw Failure(description: "chromium did not finish within \(Int(timeout)) s on \(page.path)")
    }
    return Run(
      status: process.terminationStatus,
      stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
  }
}
