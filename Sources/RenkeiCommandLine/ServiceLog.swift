import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The log lines a long-running command (`renkei-hub serve`) writes to standard error.
///
/// The systemd journal stamps every line it receives, so there a line is written as it is.
/// Anywhere else (a terminal, `nohup`, a container's log, a file) a line without a time
/// cannot be placed, so each begins with the local time and its offset from UTC. systemd
/// tells a service its standard error is the journal by setting `JOURNAL_STREAM` to that
/// stream's device and inode; a child whose standard error was redirected inherits the
/// variable but not the stream, so both are compared.
public struct ServiceLog: Sendable {
  /// Whether lines begin with the time.
  public let stampsLines: Bool
  private let timeZone: TimeZone

  public init(stampsLines: Bool, timeZone: TimeZone = .current) {
    self.stampsLines = stampsLines
    self.timeZone = timeZone
  }

  /// The log of this process: stamped unless standard error is the journal.
  public static func standardError(environment: [String: String] = ProcessInfo.processInfo.environment) -> ServiceLog {
    var status = stat()
    let identity = fstat(STDERR_FILENO, &status) == 0 ? (device: UInt64(status.st_dev), inode: UInt64(status.st_ino)) : nil
    return ServiceLog(stampsLines: !isJournal(journalStream: environment["JOURNAL_STREAM"], standardError: identity))
  }

  /// Whether `JOURNAL_STREAM` ("device:inode", decimal) names the stream standard error is.
  public static func isJournal(journalStream: String?, standardError identity: (device: UInt64, inode: UInt64)?) -> Bool {
    guard let journalStream, let identity else { return false }
    let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
    return device == identity.device && inode == identity.inode
  }

  /// `text` as it is written at `date`: `2026-11-27T13:02:05+09:00 text`, or the text alone.
  public func line(_ text: String, at date: Date = Date()) -> String {
    guard stampsLines else { return text }
    return date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)) + " " + text
  }

  /// Writes one line to standard error.
  public func write(_ text: String) {
    FileHandle.standardError.write(Data((line(text) + "\n").utf8))
  }
}
