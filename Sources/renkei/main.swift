import Foundation
import RenkeiAgent
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

let eventFieldOptions: [Parameter] = [
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

let command = Command(
  "renkei",
  abstract: "Keeps a prefecture's community-care records offline and syncs them with the bureau's hub.",
  parameters: [.option("dir", valueName: "path", help: "The replica directory (default $RENKEI_HOME, else ~/.renkei).")],
  subcommands: [
    Command(
      "init", abstract: "Creates a replica for a site.",
      discussion: "With --scope the replica is made offline and the hub confirms it on the first sync; without it the hub is asked now.",
      parameters: [
        .option("site", valueName: "name", help: "The site name the hub registered (e.g. saitama).", required: true),
        .option("hub", valueName: "url", help: "The hub's URL, e.g. https://renkei.example.go.jp.", required: true),
        .option("token-file", valueName: "file", help: "A file holding the token renkei-hub site add printed.", required: true),
        .option("scope", valueName: "code", help: "A prefecture code (11) or a bureau (kanto-shinetsu)."),
        .option("author", valueName: "name", help: "Who edits on this replica (default $USER)."),
      ]),
    Command(
      "sync", abstract: "Pushes local changes to the hub, then pulls until caught up.",
      parameters: [
        .flag("json", help: "Print the summary as JSON."),
        .option("retries", valueName: "count", help: "Attempts per request when the hub cannot be reached (default 4)."),
      ]),
    Command("status", abstract: "Shows the site, the hub, the last sync and what waits to be pushed.", parameters: [.flag("json", help: "Print JSON.")]),
    Command(
      "event", abstract: "Keeps the schedule: councils, seminars, case-study meetings, hearings.",
      subcommands: [
        Command(
          "add", abstract: "Adds an event and prints its id.",
          parameters: eventFieldOptions + [.option("scope", valueName: "code", help: "Whose event it is (default this replica's scope)."), .flag("json", help: "Print the new event as JSON.")]),
        Command(
          "edit", abstract: "Changes fields of an event.",
          parameters: [.argument("id", help: "The event's id.")] + eventFieldOptions + [.flag("json", help: "Print the event as JSON.")]),
        Command("list", abstract: "Lists events.", parameters: [.flag("json", help: "Print JSON.")]),
        Command("show", abstract: "Shows one event.", parameters: [.argument("id", help: "The event's id."), .flag("json", help: "Print JSON.")]),
        Command("delete", abstract: "Deletes an event (a tombstone that syncs).", parameters: [.argument("id", help: "The event's id.")]),
      ]),
  ])

func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

func eventFields(_ arguments: ParsedArguments) throws -> RecordFields {
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

func recordID(_ arguments: ParsedArguments) throws -> RecordID {
  let raw = arguments.string("id") ?? ""
  do { return try RecordID(raw) } catch { throw arguments.usageError("\(raw.debugDescription) is not a record id") }
}

func printEvent(_ stored: StoredRecord, json: Bool) throws {
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

await CommandLineRunner.run(command) { arguments in
  let directory = AgentDirectory(explicit: arguments.string("dir"))
  switch arguments.subcommandPath {
  case ["init"]:
    let rawSite = arguments.string("site") ?? ""
    guard let site = SiteID(rawValue: rawSite) else {
      throw arguments.usageError("--site \(rawSite.debugDescription) \(SiteID.problem(with: rawSite) ?? "is invalid")")
    }
    guard let hub = URL(string: arguments.string("hub") ?? "") else { throw arguments.usageError("--hub is not a URL") }
    var scope: Scope?
    if let raw = arguments.string("scope") {
      do { scope = try Scope(raw) } catch { throw arguments.usageError("\(error)") }
    }
    let author = arguments.string("author") ?? ProcessInfo.processInfo.environment["USER"] ?? rawSite
    let result = try await AgentReplica.initialise(
      directory, site: site, hub: hub, tokenFile: arguments.string("token-file")!, scope: scope, author: author)
    print("created replica \(site) (scope \(result.scope)) in \(directory.path); \(result.confirmed ? "confirmed by the hub" : "the hub confirms it on the first sync")")
  case ["sync"]:
    let attempts = try arguments.int("retries") ?? 4
    guard attempts >= 1 else { throw arguments.usageError("--retries must be at least 1") }
    let summary = try await ReplicaSync.run(directory: directory, retry: RetryPolicy(attempts: attempts), progress: standardError)
    print(arguments.flag("json") ? try RecordDocument.json(summary) : summary.line)
  case ["status"]:
    let status = try AgentStatus.read(directory)
    print(arguments.flag("json") ? try RecordDocument.json(status) : status.lines.joined(separator: "\n"))
  case ["event", "add"]:
    let replica = try AgentReplica.open(directory)
    var fields = try eventFields(arguments)
    fields["scope"] = .string(arguments.string("scope") ?? replica.scope.rawValue)
    let change = try replica.create(.event, fields: fields)
    if arguments.flag("json") { try printEvent(try replica.record(change.recordID)!, json: true) } else { print(change.recordID) }
  case ["event", "edit"]:
    let replica = try AgentReplica.open(directory)
    let id = try recordID(arguments)
    let fields = try eventFields(arguments)
    guard !fields.isEmpty else { throw arguments.usageError("say what to change, e.g. --venue さいたま市民会館") }
    _ = try replica.update(id, fields: fields)
    if arguments.flag("json") { try printEvent(try replica.record(id)!, json: true) } else { print("edited \(id)") }
  case ["event", "list"]:
    let events = try AgentReplica.open(directory).records(kind: .event)
    if arguments.flag("json") {
      print(try RecordDocument.json(events.map(RecordDocument.init)))
    } else {
      for event in events {
        print("\(event.id)  \(event.state["starts_on"])  \(event.state["title"])\(event.conflict == nil ? "" : "  [conflict]")")
      }
    }
  case ["event", "show"]:
    let replica = try AgentReplica.open(directory)
    let id = try recordID(arguments)
    guard let stored = try replica.record(id), stored.kind == .event else { throw AgentError(.unknownRecord, "no event with id \(id)") }
    try printEvent(stored, json: arguments.flag("json"))
  case ["event", "delete"]:
    let replica = try AgentReplica.open(directory)
    let id = try recordID(arguments)
    _ = try replica.delete(id)
    print("deleted \(id)")
  default:
    throw arguments.usageError("unknown command")
  }
}
