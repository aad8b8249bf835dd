/// A usage error: the command line broke one of the command tree's rules.
///
/// The error knows the command it concerns, so it can be reported the way
/// swift-argument-parser reports one — see ``report`` — and every usage error exits with
/// ``ExitCode/usage`` (64). Match on ``code`` rather than on the wording of ``message``.
public struct CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Which rule was broken.
  public let code: Code

  /// One line for a person, without the `Error:` prefix, e.g.
  /// `Unknown option '--titel'. Did you mean '--title'?`.
  public let message: String

  /// The command the error concerns, root first: `["renkei", "event", "add"]`.
  public let commandPath: [String]

  /// That command's usage line, without the `Usage:` prefix.
  public let usage: String

  /// Creates a usage error. Commands usually make one with ``ParsedArguments/usageError(_:)``
  /// instead, which fills in the path and usage.
  public init(code: Code, message: String, commandPath: [String], usage: String) {
    self.code = code
    self.message = message
    self.commandPath = commandPath
    self.usage = usage
  }

  /// The exit status for a usage error: ``ExitCode/usage``.
  public var exitCode: ExitCode { .usage }

  /// The three lines to print to standard error, the way swift-argument-parser does:
  ///
  /// ```
  /// Error: Missing expected argument '--title <text>'
  /// Usage: renkei event add --title <text> [--json]
  ///   See 'renkei event add --help' for more information.
  /// ```
  ///
  /// There is no trailing newline.
  public var report: String {
    """
    Error: \(message)
    Usage: \(usage)
      See '\(commandPath.joined(separator: " ")) --help' for more information.
    """
  }

  public var description: String { message }
}
