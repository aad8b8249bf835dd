import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei export events|funds|notes --csv FILE [--excel]`.
public enum ExportCommand: AgentCommand {
  static func exportCommand(_ name: String, _ what: String) -> Command {
    Command(
      name, abstract: "Writes the replica's \(what) to a CSV file.",
      parameters: [
        .option("csv", valueName: "file", help: "The file to write.", required: true),
        .flag("excel", help: "UTF-8 with a BOM and CRLF line ends, so Excel opens the Japanese text correctly."),
      ])
  }

  public static let command = Command(
    "export", abstract: "Writes records to CSV files.",
    subcommands: [exportCommand("events", "events"), exportCommand("funds", "fund entries"), exportCommand("notes", "hearing notes")])

  /// The columns of each export: for events those of events.csv, so an export imports back.
  static func table(_ kind: RecordKind, records: [StoredRecord]) -> (header: [String], rows: [[String]]) {
    func cell(_ value: FieldValue) -> String {
      switch value {
      case .null: return ""
      case .string(let text): return text
      case .integer(let number): return String(number)
      case .strings(let values): return values.joined(separator: ";")
      }
    }
    switch kind {
    case .event:
      let header = ["id", "bureau", "prefecture", "fiscal_year", "kind", "title", "starts_on", "ends_on", "venue", "co_hosts", "participants", "status", "source"]
      let rows = records.map { stored -> [String] in
        let state = stored.state
        let prefecture: String
        if case .prefecture(let value) = stored.scope { prefecture = value.code } else { prefecture = "" }
        return [stored.id.rawValue, stored.scope.bureau.id, prefecture] + header.dropFirst(3).map { cell(state[$0]) }
      }
      return (header, rows)
    case .fundEntry, .note:
      let header = ["id"] + kind.fieldNames
      return (header, records.map { stored in [stored.id.rawValue] + kind.fieldNames.map { cell(stored.state[$0]) } })
    }
  }

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let kind: RecordKind
    switch arguments.subcommandPath.last {
    case "events": kind = .event
    case "funds": kind = .fundEntry
    default: kind = .note
    }
    let records = try AgentReplica.open(directory).records(kind: kind)
    let (header, rows) = table(kind, records: records)
    let text = CSVWriter(excel: arguments.flag("excel")).text(header: header, rows: rows)
    let path = arguments.string("csv")!
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw FileWriteFailure.error(writing: path, error)
    }
    let (one, many) =
      kind == .event ? ("event", "events") : kind == .fundEntry ? ("fund entry", "fund entries") : ("hearing note", "hearing notes")
    print("wrote \(rows.count) \(rows.count == 1 ? one : many) to \(path)")
  }
}
