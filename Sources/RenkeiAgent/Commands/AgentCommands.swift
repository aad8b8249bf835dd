import RenkeiCommandLine
import RenkeiStore

/// The whole `renkei` command tree and its dispatch.
public enum AgentCommands {
  /// Every top-level command, in the order `--help` lists them: the README's order of a
  /// day's work, setting up, the three kinds of record, files, syncing and looking back.
  static let all: [any AgentCommand.Type] = [
    InitCommand.self, TokenCommand.self, EventCommand.self, FundCommand.self, NoteCommand.self, ImportCommand.self, ExportCommand.self,
    SyncCommand.self, StatusCommand.self, LogCommand.self, ConflictsCommand.self, BundleCommand.self, ReportCommand.self,
  ]

  public static let root = Command(
    "renkei",
    abstract: "Keeps a prefecture's community-care records offline and syncs them with the bureau's hub.",
    discussion: "renkei --version prints the version.",
    parameters: [.option("dir", valueName: "path", help: "The replica directory (default $RENKEI_HOME, else ~/.renkei).")],
    subcommands: all.map { $0.command })

  /// Runs the command `arguments` selected.
  public static func run(_ arguments: ParsedArguments) async throws {
    guard let name = arguments.subcommandPath.first, let command = all.first(where: { $0.command.name == name }) else {
      throw arguments.usageError("unknown command")
    }
    let directory = AgentDirectory(explicit: arguments.string("dir"))
    do {
      try await command.run(arguments, in: directory)
    } catch let error as SQLiteError where error.storageProblem != nil {
      // Every write is one transaction, so a failed one left the replica as it was.
      throw AgentError.storage(error, in: directory.path)
    }
  }
}
