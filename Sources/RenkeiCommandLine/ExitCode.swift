/// Exit statuses shared by Renkei's executables, following sysexits(3) where one fits.
public enum ExitCode: Int32, Sendable {
  case success = 0
  case failure = 1
  /// The command line itself was wrong (EX_USAGE).
  case usage = 64
}
