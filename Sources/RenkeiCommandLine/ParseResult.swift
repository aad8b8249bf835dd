/// What a command line asked for: help, or a command to run.
public enum ParseResult: Sendable, Equatable {
  /// `--help` or `-h` was given; the associated text is the help for the command it
  /// followed, without a trailing newline. Print it to standard output and exit with
  /// ``ExitCode/success``.
  case help(String)

  /// The line named a command and gave it acceptable arguments.
  case arguments(ParsedArguments)
}
