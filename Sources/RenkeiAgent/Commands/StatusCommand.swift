import RenkeiCommandLine

/// `renkei status`: site, hub, last sync and its age, what waits, what is in conflict.
public enum StatusCommand: AgentCommand {
  public static let command = Command(
    "status", abstract: "Shows the site, the hub, the last sync and what waits to be pushed.",
    parameters: [.flag("json", help: "Print JSON.")])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let status = try AgentStatus.read(directory)
    print(arguments.flag("json") ? try RecordDocument.json(status) : status.lines.joined(separator: "\n"))
  }
}
