import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiReports
import RenkeiStore

/// `renkei log [ID]`: who changed what and when — the replica's own edits, and for one
/// record also the version it holds now and any open conflict; with `--hub`, every edit of
/// the record the hub holds, from every site.
public enum LogCommand: AgentCommand {
  public static let command = Command(
    "log", abstract: "Shows the history of a record, or of this replica: who, when, which fields.",
    parameters: [
      .argument("id", help: "A record's id; without it, every edit made on this replica.", required: false),
      .option("limit", valueName: "count", help: "Show at most this many of the latest edits (default 50)."),
      .flag("hub", help: "Ask the hub for every edit of the record ID from every site (needs the network)."),
      .flag("json", help: "Print JSON."),
    ])

  struct Entry: Encodable {
    var record: RecordID
    var kind: RecordKind
    var operation: ChangeOperation
    var fields: [String]
    var author: String
    var writer: WriterID
    var sequence: UInt64
    var time: String
    var pushed: Bool
  }

  /// This replica's edits, of one record or of all, oldest first.
  static func entries(of replica: Replica, for id: RecordID?) throws -> [Entry] {
    try entries(of: replica, changes: replica.localChanges(for: id))
  }

  /// `changes`, which this replica wrote, as entries of its log.
  static func entries(of replica: Replica, changes: [Change]) throws -> [Entry] {
    let acknowledged = try replica.acknowledgedSequence
    return changes.map { change in
      Entry(
        record: change.recordID, kind: change.kind, operation: change.operation, fields: fieldsNamed(by: change),
        author: change.author, writer: change.origin, sequence: change.sequence, time: StampText.time(change.timestamp),
        pushed: change.origin.epoch < replica.epoch || change.sequence <= acknowledged)
    }
  }

  /// The fields a change wrote. A create carries every field, and the ones it left empty say
  /// nothing to a reader: they are left out, as `renkei-hub history` and `log --hub` do.
  static func fieldsNamed(by change: Change) -> [String] {
    guard change.operation == .create else { return change.fields.keys.sorted() }
    return change.fields.filter { ![.null, .string(""), .strings([])].contains($0.value) }.keys.sorted()
  }

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let replica = try AgentReplica.open(directory)
    let limit = try arguments.int("limit") ?? 50
    guard limit > 0 else { throw arguments.usageError("--limit must be at least 1") }
    var id: RecordID?
    if let raw = arguments.string("id") {
      do { id = try RecordID(raw) } catch { throw arguments.usageError("\(raw.debugDescription) is not a record id") }
    }
    if arguments.flag("hub") {
      guard let id else { throw arguments.usageError("--hub shows one record's history: give its id, as in renkei log ID --hub") }
      return try await HubRecordLog.show(id, limit: limit, json: arguments.flag("json"), replica: replica, directory: directory)
    }
    let stored = try id.flatMap { try replica.record($0) }
    if let id, stored == nil { throw AgentError(.unknownRecord, "no record with id \(id) on this replica") }
    let entries = Array(try Self.entries(of: replica, for: id).suffix(limit))
    if arguments.flag("json") {
      print(try RecordDocument.json(entries))
      return
    }
    for entry in entries {
      let fields = entry.operation == .delete ? "" : " " + entry.fields.joined(separator: ", ")
      print("\(entry.time)  \(entry.author) (\(entry.writer) #\(entry.sequence))  \(entry.operation.rawValue)\(id == nil ? " \(entry.kind) \(entry.record)" : "")\(fields)\(entry.pushed ? "" : "  [not yet pushed]")")
    }
    if entries.isEmpty { print(id == nil ? "no edits made on this replica yet" : "no edits of \(id!) made on this replica") }
    if let stored {
      let stamp = stored.version.stamp
      print("now: version \(stored.version.vector) by \(StampText.who(stamp.writer, author: stamp.author)) at \(StampText.time(stamp.timestamp))\(stored.state.deleted ? ", deleted" : "")")
      if let note = stored.resolution {
        print("conflict #\(note.conflictID) resolved by \(note.author) (\(note.resolvedBy)) at \(note.resolvedAt): \(note.choice) — \(note.reason)")
      }
      if let conflict = stored.conflict {
        print("in conflict #\(conflict.id) between \(conflict.sites.map(\.rawValue).joined(separator: " and ")) on \(conflict.conflicts.map(\.field).joined(separator: ", ")): see renkei conflicts")
      }
    }
  }
}
