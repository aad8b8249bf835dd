import Foundation

/// The part of command-line handling that touches the process: reads its arguments,
/// prints help and errors, and exits with the right status.
///
/// An executable's whole `main.swift` can be:
///
/// ```swift
/// await CommandLineRunner.run(renkeiCommand) { parsed in
///   switch parsed.subcommandPath { … }
/// }
/// ```
public enum CommandLineRunner {
  /// Parses the command line, runs the command and exits; never returns.
  ///
  /// - `--help`/`-h`: the help text goes to standard output; exit status 0.
  /// - A ``CommandLineError``, from parsing or thrown by `perform` (for instance from
  ///   ``ParsedArguments/int(_:)``): ``CommandLineError/report`` goes to standard error;
  ///   exit status 64.
  /// - Any other error thrown by `perform`: `Error: <description>` goes to standard error;
  ///   exit status 1, or the one an ``ExitStatusReporting`` error names.
  /// - Otherwise exit status 0.
  ///
  /// - Parameters:
  ///   - root: The command tree.
  ///   - arguments: The words after the program name; the process's own by default.
  ///   - perform: Runs the selected command, writing its own output.
  public static func run(
    _ root: Command,
    arguments: [String] = Array(CommandLine.arguments.dropFirst()),
    perform: (ParsedArguments) async throws -> Void
  ) async -> Never {
    var status = ExitCode.success
    do {
      switch try root.parse(arguments) {
      case .help(let text):
        print(text)
      case .arguments(let parsed):
        try await perform(parsed)
      }
    } catch {
      let (text, errorStatus) = report(for: error)
      // Whatever the command printed goes out before the error, as it was written first.
      fflush(nil)
      FileHandle.standardError.write(Data((text + "\n").utf8))
      status = errorStatus
    }
    exit(status.rawValue)
  }

  /// What to print to standard error for an error, and the status to exit with.
  static func report(for error: any Error) -> (text: String, status: ExitCode) {
    if let error = error as? CommandLineError {
      return (error.report, error.exitCode)
    }
    if let error = error as? any ExitStatusReporting {
      return ("Error: \(error)", error.exitCode)
    }
    return ("Error: \(error)", .failure)
  }
}
