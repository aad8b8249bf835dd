import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei import events FILE.csv [--only-mine]`: the events.csv format, all or nothing.
public enum ImportCommand: AgentCommand {
  public static let command = Command(
    "import", abstract: "Imports records from a CSV file, all of it or none.",
    subcommands: [
      Command(
        "events", abstract: "Imports events in the format of Examples/data/events.csv.",
        discussion:
          "A row's scope is its prefecture when given, else its bureau. A bad row, or a row outside this replica's scope, is reported with its line number and nothing of the file is applied — unless --only-mine is given, which imports the rows in scope and counts the others. The same file may be imported again after adding rows: a row whose event is already here with the same content is counted as already present; a row whose id is here with different content is listed with what differs, and nothing of the file is applied.",
        parameters: [
          .argument("file", help: "The CSV file (UTF-8, with or without a BOM)."),
          .flag("only-mine", help: "Import the rows in this replica's scope and skip the rest."),
          .flag("json", help: "Print the summary as JSON."),
        ])
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let path = arguments.string("file")!
    guard let data = FileManager.default.contents(atPath: path) else { throw AgentError(.badInput, "cannot read \(path)") }
    guard let text = String(data: data, encoding: .utf8) else {
      throw AgentError(.badInput, "\(path) is not UTF-8 text (save it from Excel as \"CSV UTF-8\")")
    }
    let rows: [EventImport.Row]
    do {
      rows = try EventImport.rows(of: try CSVTable(parsing: text))
    } catch let error as EventImportError {
      throw AgentError(.badInput, "\(path): \(error); nothing was imported")
    } catch let error as CSVError {
      throw AgentError(.badInput, "\(path): \(error); nothing was imported")
    }
    let replica = try AgentReplica.open(directory)
    let summary: ImportSummary
    do {
      summary = try replica.importEvents(rows, onlyMine: arguments.flag("only-mine"))
    } catch let error as ReplicaError {
      throw AgentError(.badInput, "\(path): \(error.message); nothing was imported")
    }
    if arguments.flag("json") {
      print(
        try RecordDocument.json([
          "imported": summary.imported, "skipped": summary.skippedOutOfScope, "already_present": summary.alreadyPresent,
        ]))
    } else {
      var line = "imported \(summary.imported) event\(summary.imported == 1 ? "" : "s") from \(path)"
      if summary.alreadyPresent > 0 { line += "; \(summary.alreadyPresent) already present" }
      if arguments.flag("only-mine") { line += "; skipped \(summary.skippedOutOfScope) outside scope \(replica.scope)" }
      print(line)
    }
  }
}
