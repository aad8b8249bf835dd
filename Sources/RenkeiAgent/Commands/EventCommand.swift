import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei event …`: the schedule — councils, seminars, case-study meetings, hearings.
public enum EventCommand: AgentCommand {
  static let fieldOptions: [Parameter] = [
  .option("title", valueName: "text", help: "The event's title."),
  .option("kind", valueName: "kind", help: "council, subcommittee, seminar, case-study, exchange, training, hearing, visit, liaison, headquarters-meeting or other."),
  .option("starts-on", valueName: "date", help: "2023-05-30, or 2023-05 when only the month is known."),
  .option("ends-on", valueName: "date", help: "The last day, for events over several days."),
  .option("venue", valueName: "text", help: "Where it is held."),
  .option("co-host", valueName: "name", help: "A co-hosting body; repeat for each.", repeatable: true),
  .option("audience", valueName: "text", help: "Who it is for."),
  .option("participants", valueName: "count", help: "How many took part."),
  .option("status", valueName: "status", help: "planned, held, postponed or cancelled."),
  .option("notes", valueName: "text", help: "Free notes."),
  .option("fy", valueName: "year", help: "The fiscal year (2023 = 令和5年度), needed when there is no date."),
]

  public static let command = Command(
    "event", abstract: "Keeps the schedule: councils, seminars, case-study meetings, hearings.",
    subcommands: [
      Command(
        "add", abstract: "Adds an event and prints its id.",
        parameters: fieldOptions + [
          .option("scope", valueName: "code", help: "Whose event it is (default this replica's scope)."),
          .flag("json", help: "Print the new event as JSON."),
        ]),
      Command(
        "edit", abstract: "Changes fields of an event.",
        parameters: [.argument("id", help: "The event's id.")] + fieldOptions + [.flag("json", help: "Print the event as JSON.")]),
      Command("list", abstract: "Lists events.", parameters: [.flag("json", help: "Print JSON.")]),
      Command("show", abstract: "Shows one event.", parameters: [.argument("id", help: "The event's id."), .flag("json", help: "Print JSON.")]),
      Command("delete", abstract: "Deletes an event (a tombstone that syncs).", parameters: [.argument("id", help: "The event's id.")]),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    switch arguments.subcommandPath.dropFirst() {
  case ["add"]:
      let replica = try AgentReplica.open(directory)
      var fields = try eventFields(arguments)
      fields["scope"] = .string(arguments.string("scope") ?? replica.scope.rawValue)
      let change = try replica.create(.event, fields: fields)
      if arguments.flag("json") { try printEvent(try replica.record(change.recordID)!, json: true) } else { print(change.recordID) }
    case ["edit"]:
      let replica = try AgentReplica.open(directory)
      let id = try recordID(arguments)
      let fields = try eventFields(arguments)
      guard !fields.isEmpty else { throw arguments.usageError("say what to change, e.g. --venue さいたま市民会館") }
      _ = try replica.update(id, fields: fields)
      if arguments.flag("json") { try printEvent(try replica.record(id)!, json: true) } else { print("edited \(id)") }
    case ["list"]:
      let events = try AgentReplica.open(directory).records(kind: .event)
      if arguments.flag("json") {
        print(try RecordDocument.json(events.map(RecordDocument.init)))
      } else {
        for event in events {
          print("\(event.id)  \(event.state["starts_on"])  \(event.state["title"])\(event.conflict == nil ? "" : "  [conflict]")")
        }
      }
    case ["show"]:
      let replica = try AgentReplica.open(directory)
      let id = try recordID(arguments)
      guard let stored = try replica.record(id), stored.kind == .event else { throw AgentError(.unknownRecord, "no event with id \(id)") }
      try printEvent(stored, json: arguments.flag("json"))
    case ["delete"]:
      let replica = try AgentReplica.open(directory)
      let id = try recordID(arguments)
      _ = try replica.delete(id)
      print("deleted \(id)")
    default:
      throw arguments.usageError("unknown event command")
    }
  }

  static func eventFields(_ arguments: ParsedArguments) throws -> RecordFields {
    var fields: RecordFields = [:]
    for (option, field) in [
      ("title", "title"), ("kind", "kind"), ("starts-on", "starts_on"), ("ends-on", "ends_on"), ("venue", "venue"),
      ("audience", "audience"), ("status", "status"), ("notes", "notes"),
    ] {
      if let value = arguments.string(option) { fields[field] = value.isEmpty ? .null : .text(value) }
    }
    let coHosts = arguments.strings("co-host")
    if !coHosts.isEmpty { fields["co_hosts"] = .set(coHosts) }
    if let participants = try arguments.int("participants") { fields["participants"] = .integer(Int64(participants)) }
    if let year = try arguments.int("fy") { fields["fiscal_year"] = .integer(Int64(year)) }
    return fields
  }

  static func recordID(_ arguments: ParsedArguments) throws -> RecordID {
    let raw = arguments.string("id") ?? ""
    do { return try RecordID(raw) } catch { throw arguments.usageError("\(raw.debugDescription) is not a record id") }
  }

  static func printEvent(_ stored: StoredRecord, json: Bool) throws {
    if json {
      print(try RecordDocument.json(RecordDocument(stored)))
      return
    }
    let state = stored.state
    print("\(stored.id)\(state.deleted ? " (deleted)" : "")")
    for name in RecordKind.event.fieldNames where state[name] != .null {
      print("  \(name): \(state[name])")
    }
    if let conflict = stored.conflict {
      print("  in conflict #\(conflict.id) between \(conflict.sites.map(\.rawValue).joined(separator: ", ")) on \(conflict.conflicts.map(\.field).joined(separator: ", "))")
    }
  }
}
