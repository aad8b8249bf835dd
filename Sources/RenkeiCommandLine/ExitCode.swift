/// Exit statuses shared by Renkei's executables, following sysexits(3) where one fits.
public enum ExitCode: Int32, Sendable {
  case success = 0
  case failure = 1
  /// The command line itself was wrong (EX_USAGE).
  case usage = 64
  /// Reading or writing storage failed: a full disk, a quota, a failing disk (EX_IOERR).
  case ioError = 74
}

/// An error that says which exit status it deserves, so a script or a timer unit can tell
/// a full disk from other failures.
public protocol ExitStatusReporting: Error {
  var exitCode: ExitCode { get }
}
