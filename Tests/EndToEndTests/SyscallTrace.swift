import Foundation

/// The system calls of an `strace -f -tt -y` log, in the order the tracer saw them.
///
/// strace writes a call when it enters it; if another thread's call comes before it returns,
/// the line ends `<unfinished ...>` and a later `<... name resumed>` line carries the result.
/// So a call's line index is when it began, and `completedAt` the index of the line with its
/// result: a call completed at index i returned before every call that began after line i.
struct SyscallTrace {
  struct Call {
    var index: Int
    var pid: String
    var name: String
    /// The arguments as strace printed them (with `-y`, file descriptors carry their paths).
    var arguments: String
    var result: String?
    var completedAt: Int?
  }

  var calls: [Call] = []
  /// Line indexes of `+++ exited with N +++`, by process id.
  var exits: [String: Int] = [:]

  init(_ text: String) {
    var pending: [String: Int] = [:]
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
      let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
      guard parts.count == 3 else { continue }
      let pid = String(parts[0])
      let body = parts[2]
      if body.hasPrefix("+++ exited") {
        exits[pid] = index
      } else if body.hasPrefix("<... ") {
        guard let open = pending.removeValue(forKey: pid) else { continue }
        calls[open].result = Self.result(of: body)
        calls[open].completedAt = index
      } else if let paren = body.firstIndex(of: "(") {
        let name = String(body[..<paren])
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
        var call = Call(index: index, pid: pid, name: name, arguments: String(body[body.index(after: paren)...]))
        if body.hasSuffix("<unfinished ...>") {
          pending[pid] = calls.count
        } else {
          call.result = Self.result(of: body)
          call.completedAt = index
        }
        calls.append(call)
      }
    }
  }

  private static func result(of line: Substring) -> String? {
    guard let equals = line.range(of: ") = ", options: .backwards) else { return nil }
    return line[equals.upperBound...].split(separator: " ").first.map(String.init)
  }

  /// The first call named one of `names` at or after line `start` whose arguments contain `text`.
  func first(_ names: Set<String>, containing text: String, after start: Int = -1) -> Call? {
    calls.first { $0.index > start && names.contains($0.name) && $0.arguments.contains(text) }
  }

  /// The calls named one of `names` touching `path` (`-y` shows it as `<path>`) that began
  /// between lines `start` and `end`.
  func calls(_ names: Set<String>, on path: String, between start: Int, and end: Int) -> [Call] {
    calls.filter { $0.index > start && $0.index < end && names.contains($0.name) && $0.arguments.contains("<\(path)>") }
  }

  static let writes: Set<String> = ["write", "pwrite64", "writev", "pwritev", "pwritev2"]
  static let syncs: Set<String> = ["fsync", "fdatasync"]

  /// Whether, between lines `start` and `end`, something was written to `path` and the last
  /// such write was followed by a successful fsync or fdatasync of it that returned before
  /// line `end`. Returns the number of writes, or nil (with why) when it does not hold.
  func writesAreSynced(_ path: String, between start: Int, and end: Int) -> (writes: Int, problem: String?) {
    let written = calls(Self.writes, on: path, between: start, and: end)
    guard let last = written.last else { return (0, "nothing was written to \(path) between lines \(start) and \(end)") }
    let synced = calls(Self.syncs, on: path, between: last.index, and: end).contains {
      $0.result == "0" && ($0.completedAt ?? Int.max) < end
    }
    return (written.count, synced ? nil : "the write to \(path) at line \(last.index) was not fsynced before line \(end)")
  }
}
