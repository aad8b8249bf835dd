import RenkeiCommandLine

/// `renkei token`: replaces the replica's hub token with a new one the bureau issued, for a
/// token that leaked or was lost while the laptop and its replica are still in hand.
public enum TokenCommand: AgentCommand {
  public static let command = Command(
    "token", abstract: "Replaces this replica's hub token with a new one the bureau issued (renkei-hub site token).",
    discussion: "The replica, its unsynced changes and its settings stay as they are; the next sync uses the new token.",
    parameters: [.option("token-file", valueName: "file", help: "A file holding the new token.", required: true)])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let configuration = try AgentConfiguration.load(from: directory)
    let token = try AccessTokenFile.read(from: arguments.string("token-file")!)
    // Not under a sync that read the old one: the sync would fail halfway for no reason.
    let lock = try SyncLock(directory: directory)
    defer { lock.release() }
    try AccessTokenFile.store(token, in: directory)
    print("replaced this replica's token for the hub at \(configuration.hub.absoluteString); the next renkei sync uses it")
  }
}
