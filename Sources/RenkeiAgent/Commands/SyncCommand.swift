import Foundation
import RenkeiCommandLine

/// `renkei sync`: push, then pull until caught up; one summary line (for journald) or JSON.
public enum SyncCommand: AgentCommand {
  public static let command = Command(
    "sync", abstract: "Pushes local changes to the hub, then pulls until caught up.",
    parameters: [
      .flag("json", help: "Print the summary as JSON."),
      .option("retries", valueName: "count", help: "Attempts per request when the hub cannot be reached (default 4)."),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let attempts = try arguments.int("retries") ?? 4
    guard attempts >= 1 else { throw arguments.usageError("--retries must be at least 1") }
    let summary = try await ReplicaSync.run(directory: directory, retry: RetryPolicy(attempts: attempts)) {
      FileHandle.standardError.write(Data(($0 + "\n").utf8))
    }
    print(arguments.flag("json") ? try RecordDocument.json(summary) : summary.line)
  }
}
