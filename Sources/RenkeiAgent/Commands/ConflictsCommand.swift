import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiReports
import RenkeiStore

/// `renkei conflicts`: this replica's records in conflict at the hub, with each side's values.
public enum ConflictsCommand: AgentCommand {
  public static let command = Command(
    "conflicts", abstract: "Lists this replica's records that are in conflict, with what each side holds.",
    discussion: "The bureau's administrator resolves conflicts at the hub; the record meanwhile shows the provisional version, and the resolution arrives with the next sync.",
    parameters: [.flag("json", help: "Print JSON.")])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let all = try AgentReplica.open(directory).records(includeDeleted: true)
    let records = all.filter { $0.conflict != nil }
    let resolved = all.filter { $0.conflict == nil && $0.resolution != nil }.sorted { $0.resolution!.resolvedAt > $1.resolution!.resolvedAt }
    if arguments.flag("json") {
      print(try RecordDocument.json(records.map(RecordDocument.init)))
      return
    }
    defer {
      if !resolved.isEmpty {
        print("resolved by the bureau:")
        for stored in resolved.prefix(20) {
          let note = stored.resolution!
          print("  #\(note.conflictID) \(stored.kind) \(stored.id) \(StampText.title(of: stored.state, kind: stored.kind)): \(note.choice), by \(note.author) at \(note.resolvedAt) — \(note.reason)")
        }
      }
    }
    guard !records.isEmpty else {
      print("no records of this replica are in conflict")
      return
    }
    for stored in records {
      let conflict = stored.conflict!
      print("conflict #\(conflict.id): \(stored.kind) \(stored.id) \(StampText.title(of: stored.state, kind: stored.kind))")
      for field in conflict.conflicts {
        print("  \(field.field) (\(field.rule.rawValue)); provisionally \(shown(field.field, stored.state[field.field]))")
        for side in conflict.sides {
          let value = side.deleted ? "deleted" : shown(field.field, side.values[field.field] ?? .null)
          print("    \(StampText.who(side.writer, author: side.author)) at \(StampText.time(side.timestamp)): \(value)")
        }
      }
    }
    print("\(records.count) record\(records.count == 1 ? "" : "s") in conflict; the bureau's administrator decides, and the decision arrives with the next sync")
  }

  /// Money as staff read it everywhere else (5,000,000円), other values as stored.
  private static func shown(_ field: String, _ value: FieldValue) -> String {
    if field == "amount", case .integer(let amount) = value { return YenAmount.format(amount) }
    return "\(value)"
  }
}
