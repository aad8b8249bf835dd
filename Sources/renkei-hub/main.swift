import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiReports

let directoryOption = Parameter.option(
  "dir", valueName: "path", help: "The hub's data directory (default $RENKEI_HUB_DIR, else /var/lib/renkei-hub).")

let command = Command(
  "renkei-hub",
  abstract: "The bureau's Renkei hub: merges the prefectures' changes and serves them back.",
  discussion: "renkei-hub --version prints the version.",
  parameters: [directoryOption],
  subcommands: [
    Command(
      "serve",
      abstract: "Serves the sync API over HTTP until SIGTERM or SIGINT.",
      discussion: "Put a TLS reverse proxy (nginx) in front of it; it speaks plain HTTP/1.1 on loopback.",
      parameters: [
        .option(
          "listen", valueName: "host:port",
          help: "Where to listen (default 127.0.0.1:8470; an IPv6 address in brackets, [::1]:8470; port 0 picks a free one)."),
        .option("max-connections", valueName: "count", help: "Connections served at once (default 1024); see README, Running the hub."),
        .option("max-body-mb", valueName: "MiB", help: "The largest request body accepted, counted after gzip decoding (default 16)."),
      ]),
    Command(
      "bundle",
      abstract: "Syncs offices on closed networks through files.",
      subcommands: [
        Command(
          "import",
          abstract: "Applies a site's push bundle and writes the reply bundle to carry back.",
          parameters: [
            .argument("file", help: "The bundle renkei bundle export wrote."),
            .option("reply", valueName: "file", help: "Where to write the reply (default FILE.reply)."),
          ])
      ]),
    Command(
      "conflicts",
      abstract: "Reviews and resolves the conflicts the rules could not settle.",
      subcommands: [
        Command(
          "list", abstract: "Lists conflicts, oldest first.",
          parameters: [
            .option("status", valueName: "status", help: "open (default), resolved or all."),
            .option("scope", valueName: "code", help: "Only this scope's conflicts."),
            .option("kind", valueName: "kind", help: "event, fund-entry or note."),
            .flag("json", help: "Print JSON."),
          ]),
        Command(
          "show", abstract: "Shows a conflict field by field: base, each side, the colliding fields marked.",
          parameters: [.argument("id", help: "The conflict's number."), .flag("json", help: "Print JSON.")]),
        Command(
          "resolve", abstract: "Decides a conflict: one side, field by field, or an edited record.",
          discussion: "Give the revision conflicts show printed: if newer edits joined the conflict since, the resolution is refused so you can look again.",
          parameters: [
            .argument("id", help: "The conflict's number."),
            .option("revision", valueName: "n", help: "The revision you decided on (conflicts show prints it).", required: true),
            .option("take", valueName: "site", help: "Take this site's side for every colliding field (or its delete); the rest stays merged."),
            .option("field", valueName: "name=site", help: "Take this field from this site's side; repeat for each colliding field.", repeatable: true),
            .option("edit", valueName: "file", help: "A JSON object of fields you wrote, laid over the merged record."),
            .option("reason", valueName: "text", help: "Why: kept in the audit and shown on every replica.", required: true),
            .option("as", valueName: "site", help: "The admin site deciding (default: the only admin site)."),
          ]),
      ]),
    Command(
      "audit", abstract: "Lists every resolution and every refused request: who, when, what, why.",
      parameters: [
        .option("record", valueName: "id", help: "Only this record's entries."),
        .option("since", valueName: "date", help: "Only entries from this date (2023-06-01) on."),
        .flag("json", help: "Print JSON."),
      ]),
    Command(
      "history", abstract: "Shows who changed a record, when, and which fields, from every site.",
      parameters: [
        .argument("id", help: "The record's id."),
        .flag("json", help: "Print JSON."),
      ]),
    Command(
      "compact", abstract: "Drops the fields and history of records deleted longer ago than --older-than days.",
      discussion:
        "Each deleted record keeps its id, scope, vector and deleted mark, so an edit a site made before it saw the delete still goes to the conflict queue instead of bringing the record back. Records with an open conflict are left whole, and so are deletions not every site that may read them holds yet (revoked and admin sites aside): 'renkei-hub site list' shows when each site last synced. Also drops the pull feed's entries for records that have moved on to a later position.",
      parameters: [
        .option("older-than", valueName: "days", help: "Compact tombstones the hub stored at least this many days ago (0: all).", required: true),
        .option(
          "ignore-site", valueName: "name",
          help: "Do not wait for this site to hold the deletions (an office away longer than you will wait); repeatable.",
          repeatable: true),
        .flag("json", help: "Print JSON."),
      ]),
    Command(
      "backup", abstract: "Writes a consistent snapshot of the hub database while it serves (SQLite online backup).",
      parameters: [.option("to", valueName: "file", help: "The backup file to write; it must not exist.", required: true)]),
    Command(
      "restore", abstract: "Puts a backup in place as the hub database of --dir (stop the hub first).",
      parameters: [.option("from", valueName: "file", help: "A file renkei-hub backup wrote.", required: true)]),
    Command(
      "site",
      abstract: "Registers the sites allowed to sync and their tokens.",
      subcommands: [
        Command(
          "add",
          abstract: "Registers a site and prints its token once; only its hash is kept.",
          parameters: [
            .argument("name", help: "The site's name: lowercase letters, digits and '-' (e.g. saitama)."),
            .option("role", valueName: "role", help: "prefecture, bureau or admin.", required: true),
            .option("scope", valueName: "code", help: "A prefecture code (11) or a bureau (kanto-shinetsu).", required: true),
          ]),
        Command(
          "list", abstract: "Lists the registered sites: role, scope, when registered, when each last synced to the end, status.",
          parameters: [.flag("json", help: "Print JSON.")]),
        Command(
          "revoke", abstract: "Revokes a site's token; its requests get 401 from now on.",
          parameters: [.argument("name", help: "The site to revoke.")]),
        Command(
          "token", abstract: "Issues a new token for a site and prints it once; the old token is refused from now on.",
          discussion:
            "For a token that leaked or was lost while the office still has its laptop: the office runs renkei token --token-file FILE and keeps its replica and unsynced changes. A lost laptop is revoked instead.",
          parameters: [.argument("name", help: "The site whose token to replace.")]),
      ]),
  ])

func hubDirectory(_ arguments: ParsedArguments) -> String {
  arguments.string("dir") ?? ProcessInfo.processInfo.environment["RENKEI_HUB_DIR"] ?? "/var/lib/renkei-hub"
}

/// Opens the hub of `--dir`. Only `site add` starts a new hub there (as `serve` does): for any
/// other command a directory without one is a mistyped `--dir`, and an empty hub made there
/// would answer "no conflicts" or "the audit is empty" as if that were the truth.
func openHub(_ arguments: ParsedArguments, creatingIfMissing: Bool = false) throws -> Hub {
  let directory = hubDirectory(arguments)
  if !creatingIfMissing { try requireHub(in: directory) }
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  return try Hub(path: HubServer.databasePath(in: directory))
}

func requireHub(in directory: String) throws {
  guard FileManager.default.fileExists(atPath: HubServer.databasePath(in: directory)) else {
    throw HubError(
      .notFound,
      "\(directory) holds no Renkei hub (no hub.sqlite): give the hub's data directory with --dir or RENKEI_HUB_DIR; "
        + "a new hub starts with renkei-hub site add or renkei-hub serve")
  }
}

func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

func serve(_ arguments: ParsedArguments) throws {
  var configuration = HTTPServer.Configuration()
  let listen = arguments.string("listen") ?? "127.0.0.1:8470"
  let address: HTTPListenAddress
  do { address = try HTTPListenAddress(listen) } catch {
    throw arguments.usageError(
      "--listen must be host:port, such as 127.0.0.1:8470 or [::1]:8470, not \(listen): \(error.message)")
  }
  configuration.host = address.host
  configuration.port = address.port
  if let connections = try arguments.int("max-connections") {
    guard connections > 0 else { throw arguments.usageError("--max-connections must be at least 1") }
    configuration.maxConnections = connections
  }
  if let megabytes = try arguments.int("max-body-mb") {
    guard (1...1024).contains(megabytes) else { throw arguments.usageError("--max-body-mb must be from 1 to 1024") }
    configuration.maxBodyBytes = megabytes << 20
  }
  let log = ServiceLog.standardError()
  let descriptors = HTTPServer.raiseDescriptorLimit(toServe: configuration.maxConnections)
  if descriptors < configuration.maxConnections + HTTPServer.descriptorsBesideConnections {
    log.write(
      "renkei-hub: warning: the open-file limit is \(descriptors), too low for \(configuration.maxConnections) connections; "
        + "raise it (LimitNOFILE= in the systemd unit) or lower --max-connections")
  }
  let directory = hubDirectory(arguments)
  let server = try HubServer(directory: directory, configuration: configuration, log: log.write)
  // Caught before the hub says it listens: whoever reads that line may stop it at once.
  ShutdownSignals.install()
  do { try server.start() } catch let error as HTTPServerError {
    throw HubDirectoryError("cannot listen on \(listen): \(error.message) (\(error.operation))")
  }
  print("renkei-hub \(RenkeiVersion.current) listening on http://\(address.authority(port: server.port)), data in \(directory)")
  fflush(nil)

  // SIGTERM (systemd's stop) and SIGINT (Ctrl-C) drain requests in flight, then exit 0.
  let number = ShutdownSignals.wait()
  log.write("renkei-hub: signal \(number): finishing requests in flight")
  server.stop()
  log.write("renkei-hub: stopped")
}

func conflictID(_ arguments: ParsedArguments) throws -> Int64 {
  guard let id = Int64(arguments.string("id") ?? ""), id > 0 else { throw arguments.usageError("a conflict id is a number, as conflicts list shows it") }
  return id
}

func json(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// `--since` is compared as text with each entry's UTC time, so anything but a date or a
/// time would select nothing (or everything) without a word: it is refused instead.
func auditSince(_ arguments: ParsedArguments) throws -> String? {
  guard let raw = arguments.string("since") else { return nil }
  guard (try? RecordDate(iso: raw)) != nil || ISO8601DateFormatter().date(from: raw) != nil else {
    throw arguments.usageError(
      "--since \(raw.debugDescription) is not a date: write it as 2023-06-01, 2023-06 or a UTC time such as 2023-06-01T09:00:00Z")
  }
  return raw
}

func siteName(_ arguments: ParsedArguments) throws -> SiteID {
  let raw = arguments.string("name") ?? ""
  guard let name = SiteID(rawValue: raw) else {
    throw arguments.usageError("site name \(raw.debugDescription) \(SiteID.problem(with: raw) ?? "is invalid")")
  }
  return name
}

if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
  print("renkei-hub \(RenkeiVersion.current)")
  exit(0)
}

await CommandLineRunner.run(command) { arguments in
  switch arguments.subcommandPath {
  case ["serve"]:
    try serve(arguments)
  case ["site", "add"]:
    let name = try siteName(arguments)
    let roleText = arguments.string("role") ?? ""
    guard let role = SiteRole(rawValue: roleText) else {
      throw arguments.usageError("--role must be prefecture, bureau or admin, not \(roleText.debugDescription)")
    }
    let scope: Scope
    do { scope = try Scope(arguments.string("scope") ?? "") } catch { throw arguments.usageError("\(error)") }
    // Checked before the hub is opened, so a refused first registration leaves no empty hub.
    if let problem = role.problem(with: scope) { throw HubError(.invalidSite, problem) }
    let token = try openHub(arguments, creatingIfMissing: true).addSite(name, role: role, scope: scope)
    print(token.text)
    standardError("registered \(name) (\(role.rawValue), scope \(scope)). The token above is shown only this once: give it to the site now.")
  case ["site", "list"]:
    let sites = try openHub(arguments).sites()
    if arguments.flag("json") {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(sites), as: UTF8.self))
    } else if sites.isEmpty {
      print("no sites registered; add one with: renkei-hub site add NAME --role prefecture --scope 11")
    } else {
      let rows = [["SITE", "ROLE", "SCOPE", "REGISTERED", "LAST SYNCED", "STATUS"]]
        + sites.map {
          [
            $0.name.rawValue, $0.role.rawValue, $0.scope.rawValue, $0.createdAt, $0.role == .admin ? "-" : $0.lastPulledAt ?? "never",
            $0.revokedAt.map { "revoked \($0)" } ?? "active",
          ]
        }
      let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
      for row in rows {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
      }
    }
  case ["bundle", "import"]:
    let path = arguments.string("file")!
    guard let data = FileManager.default.contents(atPath: path) else { throw HubError(.invalidChange, "cannot read \(path)") }
    let replyPath = arguments.string("reply") ?? path + ".reply"
    // Checked before the bundle is applied, so a mistyped --reply changes nothing.
    if let problem = FileProblem.writing(replyPath) { throw arguments.usageError("cannot write the reply to \(replyPath): \(problem)") }
    let (reply, result) = try openHub(arguments).importBundle(data)
    do { try reply.write(to: URL(fileURLWithPath: replyPath), options: .atomic) } catch {
      throw HubError(
        .invalidChange,
        "\(path) was applied, but its reply could not be written to \(replyPath) (\(FileProblem.writing(replyPath) ?? "the system refused it")); "
          + "import it again with another --reply: importing a bundle twice changes nothing")
    }
    print("applied \(path): \(result.applied) new change\(result.applied == 1 ? "" : "s"); reply written to \(replyPath): take it back and run renkei bundle import \(replyPath)")
  case ["conflicts", "list"]:
    var filter = ConflictFilter(status: arguments.string("status") ?? "open")
    guard ["open", "resolved", "all"].contains(filter.status) else { throw arguments.usageError("--status must be open, resolved or all") }
    if let scope = arguments.string("scope") {
      do { filter.scope = try Scope(scope) } catch { throw arguments.usageError("\(error)") }
    }
    if let kind = arguments.string("kind") {
      guard let value = RecordKind(rawValue: kind) else { throw arguments.usageError("--kind must be event, fund-entry or note") }
      filter.kind = value
    }
    let found = try openHub(arguments).conflicts(filter)
    print(arguments.flag("json") ? try json(found) : ConflictReport.list(found))
  case ["conflicts", "show"]:
    let hub = try openHub(arguments)
    let id = try conflictID(arguments)
    guard let conflict = try hub.conflict(id) else { throw HubError(.notFound, "no conflict #\(id); see renkei-hub conflicts list") }
    if arguments.flag("json") {
      print(try json(conflict))
    } else {
      let record = try hub.record(conflict.recordID)
      print(ConflictReport.show(conflict, balances: try hub.balanceLines(for: conflict), record: record))
    }
  case ["conflicts", "resolve"]:
    let hub = try openHub(arguments)
    let id = try conflictID(arguments)
    guard let revision = try arguments.int("revision") else { throw arguments.usageError("--revision is required") }
    let choices = [arguments.string("take") != nil, !arguments.strings("field").isEmpty, arguments.string("edit") != nil].filter { $0 }
    guard choices.count == 1 else { throw arguments.usageError("give exactly one of --take, --field or --edit") }
    let choice: ResolutionChoice
    if let site = arguments.string("take") {
      guard let site = SiteID(rawValue: site) else { throw arguments.usageError("--take \(site) is not a site name") }
      choice = .take(site)
    } else if let file = arguments.string("edit") {
      guard let data = FileManager.default.contents(atPath: file) else { throw arguments.usageError("cannot read --edit \(file)") }
      do { choice = .record(try JSONDecoder().decode(RecordFields.self, from: data)) } catch {
        throw arguments.usageError(
          "--edit \(file) must be a JSON object of fields, such as {\"venue\": \"大宮\"}: \(JSONProblem.describe(error))")
      }
    } else {
      var map: [String: SiteID] = [:]
      for pair in arguments.strings("field") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let site = SiteID(rawValue: parts[1]) else { throw arguments.usageError("--field \(pair) must be NAME=SITE") }
        map[parts[0]] = site
      }
      choice = .fields(map)
    }
    let admins = try hub.sites().filter { $0.role == .admin && !$0.isRevoked }
    let administrator: SiteRegistration
    if let name = arguments.string("as") {
      guard let found = admins.first(where: { $0.name.rawValue == name }) else { throw arguments.usageError("--as \(name) is not an active admin site") }
      administrator = found
    } else {
      guard admins.count == 1 else {
        throw arguments.usageError(admins.isEmpty ? "no admin site is registered: renkei-hub site add NAME --role admin --scope BUREAU" : "several admin sites: say which with --as")
      }
      administrator = admins[0]
    }
    let version = try hub.resolve(conflict: id, revision: Int64(revision), choice: choice, reason: arguments.string("reason")!, by: administrator)
    print("resolved conflict #\(id): \(choice.summary); record \(version.recordID) is now version \(version.vector), and reaches every replica in scope on its next sync")
  case ["audit"]:
    let record = try arguments.string("record").map { raw in
      do { return try RecordID(raw) } catch { throw arguments.usageError("--record \(raw) is not a record id") }
    }
    let entries = try openHub(arguments).auditEntries(record: record, since: try auditSince(arguments))
    if arguments.flag("json") {
      print(try json(entries))
    } else if entries.isEmpty {
      print("the audit is empty")
    } else {
      for entry in entries {
        let what = [entry.recordID.map { "record \($0)" }, entry.conflictID.map { "conflict #\($0)" }].compactMap { $0 }.joined(separator: " ")
        let detail = entry.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        print("\(entry.at)  \(entry.actor)  \(entry.action)  \(what.isEmpty ? "-" : what)  \(entry.reason)  [\(detail)]")
      }
    }
  case ["history"]:
    let raw = arguments.string("id")!
    let id: RecordID
    do { id = try RecordID(raw) } catch { throw arguments.usageError("\(raw.debugDescription) is not a record id") }
    guard let page = try openHub(arguments).recordHistory(of: id, readableBy: nil) else {
      throw HubError(.notFound, "the hub holds no record \(id)")
    }
    print(arguments.flag("json") ? try json(page) : RecordHistoryText.lines(page).joined(separator: "\n"))
  case ["compact"]:
    guard let days = try arguments.int("older-than"), (0...36_500).contains(days) else {
      throw arguments.usageError("--older-than must be a number of days from 0 to 36500")
    }
    let hub = try openHub(arguments)
    var ignored: Set<SiteID> = []
    for name in arguments.strings("ignore-site") {
      guard let site = SiteID(rawValue: name), try hub.site(named: site) != nil else {
        throw arguments.usageError("--ignore-site \(name): no site named \(name.debugDescription) is registered; see renkei-hub site list")
      }
      ignored.insert(site)
    }
    let horizon = hub.now().addingTimeInterval(-Double(days) * 86_400)
    let compaction = try hub.compactTombstones(storedBefore: horizon, ignoring: ignored)
    if arguments.flag("json") {
      print(try json(compaction))
    } else {
      print(
        "compacted \(compaction.records) deleted record\(compaction.records == 1 ? "" : "s") stored before \(ISO8601DateFormatter().string(from: horizon)): dropped \(compaction.versionsDropped) old version\(compaction.versionsDropped == 1 ? "" : "s") and the content of \(compaction.changeBodiesDropped) change\(compaction.changeBodiesDropped == 1 ? "" : "s"); ids, scopes and delete marks are kept; dropped \(compaction.feedEntriesDropped) superseded pull-feed entr\(compaction.feedEntriesDropped == 1 ? "y" : "ies")"
      )
      if compaction.heldBack > 0 {
        print(
          "kept \(compaction.heldBack) deleted record\(compaction.heldBack == 1 ? "" : "s") whole: not yet held by \(compaction.waitingFor.map(\.rawValue).joined(separator: ", ")) ('renkei-hub site list' shows when each last synced; --ignore-site NAME stops waiting for one)"
        )
      }
    }
  case ["backup"]:
    let file = arguments.string("to")!
    try requireHub(in: hubDirectory(arguments))
    let bytes = try HubBackup.backup(directory: hubDirectory(arguments), to: file)
    print("backed up the hub in \(hubDirectory(arguments)) to \(file) (\(bytes) bytes, integrity_check ok)")
  case ["restore"]:
    let file = arguments.string("from")!
    try HubBackup.restore(from: file, into: hubDirectory(arguments))
    print("restored \(file) into \(hubDirectory(arguments)); start the hub with renkei-hub serve")
  case ["site", "revoke"]:
    let name = try siteName(arguments)
    try openHub(arguments).revokeSite(name)
    print("revoked \(name): its token is refused from now on")
  case ["site", "token"]:
    let name = try siteName(arguments)
    let token = try openHub(arguments).reissueToken(for: name)
    print(token.text)
    standardError(
      "issued a new token for \(name); its old token is refused from now on. The token above is shown only this once: give it to the office, which runs renkei token --token-file FILE.")
  default:
    throw arguments.usageError("unknown command")
  }
}
