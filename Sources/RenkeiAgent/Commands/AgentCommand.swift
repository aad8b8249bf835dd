import RenkeiCommandLine

/// One top-level `renkei` command (or group of subcommands): its part of the command tree
/// and what it does. `main.swift` only assembles these and dispatches.
public protocol AgentCommand: SendableMetatype {
  /// The command's node in the tree; its name is the first word after `renkei`.
  static var command: Command { get }
  /// Runs the command selected below this node. Prints its own output.
  static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws
}
