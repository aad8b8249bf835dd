import Foundation

/// Resident memory of a process, from Linux's `/proc/PID/status`.
///
/// `VmHWM` is the peak resident set since the process started or since its peak was last
/// reset by writing `5` to `/proc/PID/clear_refs` (Linux 4.0+), which lets one process
/// report the peak of each phase separately.
enum PeakMemory {
  /// The peak resident set of `pid` (this process by default), in bytes.
  static func peakBytes(of pid: Int32? = nil) -> Int? { field("VmHWM", of: pid) }

  /// The current resident set, in bytes.
  static func residentBytes(of pid: Int32? = nil) -> Int? { field("VmRSS", of: pid) }

  /// Starts a new peak at the current resident set; false where the kernel does not allow it.
  /// For this process, first hands memory freed by earlier phases back to the system, so
  /// the new peak does not start from their leftovers.
  @discardableResult
  static func resetPeak(of pid: Int32? = nil) -> Bool {
    if pid == nil { trimHeap() }
    let path = "/proc/\(pid.map(String.init) ?? "self")/clear_refs"
    guard let handle = FileHandle(forWritingAtPath: path) else { return false }
    defer { try? handle.close() }
    do {
      try handle.write(contentsOf: Data("5".utf8))
      return true
    } catch {
      return false
    }
  }

  /// glibc's `malloc_trim(0)`, looked up at run time: it is declared in `<malloc.h>`,
  /// which Swift's Glibc module does not import.
  private static func trimHeap() {
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
  }

  /// User plus system CPU seconds of another process, from `/proc/PID/stat`.
  static func cpuSeconds(of pid: Int32) -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name: state is field 3, utime 14 and stime 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  private static func field(_ name: String, of pid: Int32?) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid.map(String.init) ?? "self")/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      let number = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
      return number.flatMap { Int($0) }.map { $0 * 1024 }
    }
    return nil
  }
}
