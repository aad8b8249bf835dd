import Foundation

/// Wall-clock and CPU time of some work in this process, and the bytes it wrote.
///
/// Both are kept because the machines this runs on are shared: wall time drifts with
/// whatever else runs, CPU time much less. Ratios are taken of wall times measured side by
/// side in the same run.
struct Measurement: Sendable {
  var wallSeconds: Double = 0
  var cpuSeconds: Double = 0
  /// Bytes handed to write calls (SQLite's WAL frames and checkpoints among them): unlike
  /// the times, the same whatever else the machine runs.
  var writtenBytes: Int = 0

  static func + (left: Measurement, right: Measurement) -> Measurement {
    Measurement(
      wallSeconds: left.wallSeconds + right.wallSeconds, cpuSeconds: left.cpuSeconds + right.cpuSeconds,
      writtenBytes: left.writtenBytes + right.writtenBytes)
  }

  static func += (left: inout Measurement, right: Measurement) { left = left + right }

  /// Runs `body` and adds its time to `total`.
  static func adding<T>(to total: inout Measurement, _ body: () throws -> T) rethrows -> T {
    let start = Instant.now
    let result = try body()
    total += start.elapsed
    return result
  }

  static func adding<T>(to total: inout Measurement, _ body: () async throws -> T) async rethrows -> T {
    let start = Instant.now
    let result = try await body()
    total += start.elapsed
    return result
  }

  /// A point in wall and CPU time.
  struct Instant: Sendable {
    let wall: ContinuousClock.Instant
    let cpu: Double
    let written: Int

    static var now: Instant { Instant(wall: ContinuousClock.now, cpu: processCPUSeconds(), written: processWrittenBytes()) }

    var elapsed: Measurement {
      let now = Instant.now
      return Measurement(wallSeconds: (now.wall - wall).seconds, cpuSeconds: now.cpu - cpu, writtenBytes: now.written - written)
    }
  }

  /// User plus system CPU time of this process, all threads.
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  /// The bytes this process has passed to write calls (`wchar` in /proc/self/io), zero
  /// where that file is missing.
  static func processWrittenBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
    let line = text.split(separator: "\n").first { $0.hasPrefix("wchar:") }
    return line.flatMap { Int($0.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
