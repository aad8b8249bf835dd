import Foundation
import Glibc
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// Short runs in the default `swift test`; `RENKEI_LONG=1` runs the long mode.
/// Every random choice follows `RENKEI_SEED` (a default otherwise), so a failure replays.
enum ReliabilityMode {
  static let isLong = ProcessInfo.processInfo.environment["RENKEI_LONG"] == "1"
  static let seed: UInt64 = ProcessInfo.processInfo.environment["RENKEI_SEED"].flatMap(UInt64.init) ?? 20_230_530

  static func count(short: Int, long: Int) -> Int { isLong ? long : short }
  static var name: String { isLong ? "long" : "short" }
}

/// A hub process and its agents in one temporary directory, with what the reliability tests
/// need: killing and restarting the hub on its directory, pointing agents at a new address,
/// running `renkei sync`, opening the SQLite files, and auditing what the hub stored
/// against what every agent wrote. Kills the hub and removes the directory on deinit.
final class ReliabilityWorld {
  struct Site {
    let name: String
    let role: String
    let scope: Scope
    let directory: String
    let token: String
    var replicaPath: String { directory + "/replica.sqlite" }
  }

  let root: String
  let hubDirectory: String
  private(set) var hub: HubProcess
  private(set) var sites: [String: Site] = [:]
  /// Processes started with ``startSync(_:retries:environment:)`` not yet waited for.
  private var running: [Process] = []

  /// The three sites most tests use: two prefectures of the Kanto-Shinetsu bureau and the bureau.
  static let kanto: [(String, String, String)] = [
    ("saitama", "prefecture", "11"), ("yamanashi", "prefecture", "19"), ("kanto", "bureau", "kanto-shinetsu"),
  ]

  init(_ label: String, sites list: [(name: String, role: String, scope: String)] = ReliabilityWorld.kanto) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-\(label)-\(UUID().uuidString)").path
    hubDirectory = root + "/hub"
    try FileManager.default.createDirectory(atPath: hubDirectory, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/logs", withIntermediateDirectories: true)
    hub = try HubProcess(directory: hubDirectory)
    for (name, role, scope) in list {
      let tokenFile = try hub.addSite(name, role: role, scope: scope)
      let directory = root + "/" + name
      let created = try ProcessRunner.run(
        "renkei",
        [
          "--dir", directory, "init", "--site", name, "--hub", hub.url, "--token-file", tokenFile, "--scope", scope, "--author",
          "\(name)-staff",
        ])
      guard created.status == 0 else { throw EndToEndFailure("renkei init \(name): \(created.stderr)") }
      let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
      sites[name] = Site(name: name, role: role, scope: try Scope(scope), directory: directory, token: token)
    }
  }

  deinit {
    for process in running where process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    if hub.process.isRunning {
      kill(hub.process.processIdentifier, SIGKILL)
      hub.process.waitUntilExit()
    }
    try? FileManager.default.removeItem(atPath: root)
  }

  func site(_ name: String) -> Site { sites[name]! }
  var siteNames: [String] { sites.keys.sorted() }
  var hubDatabasePath: String { HubServer.databasePath(in: hubDirectory) }
  /// The hub's TCP port (for a proxy or raw HTTP).
  var hubPort: Int { Int(hub.url.split(separator: ":").last!)! }

  // MARK: Processes

  /// SIGKILL to the hub: no drain, no clean close of its database.
  func killHub() {
    kill(hub.process.processIdentifier, SIGKILL)
    hub.process.waitUntilExit()
  }

  /// Starts `renkei-hub serve` again on the same directory. It listens on a new port;
  /// `repoint` (default) rewrites every agent's `agent.json` to it, as an administrator
  /// would after moving the hub.
  func restartHub(repoint: Bool = true) throws {
    if hub.process.isRunning { killHub() }
    hub = try HubProcess(directory: hubDirectory)
    if repoint { try pointAgents(to: hub.url) }
  }

  /// Rewrites the `hub` of every agent's `agent.json`.
  func pointAgents(to url: String) throws {
    for site in sites.values { try point(site.name, to: url) }
  }

  func point(_ name: String, to url: String) throws {
    let path = site(name).directory + "/agent.json"
    var configuration = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    configuration["hub"] = url
    try JSONSerialization.data(withJSONObject: configuration, options: [.sortedKeys]).write(to: URL(fileURLWithPath: path))
  }

  /// Runs `renkei --dir SITE arguments…` to the end.
  @discardableResult
  func renkei(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    try ProcessRunner.run("renkei", ["--dir", site(name).directory] + arguments, environment: environment)
  }

  /// Runs `renkei … ARGS` and requires exit 0.
  @discardableResult
  func ok(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let result = try renkei(name, arguments, environment: environment)
    guard result.status == 0 else {
      throw EndToEndFailure("renkei \(arguments.joined(separator: " ")) on \(name) exited \(result.status): \(result.stderr)")
    }
    return result.stdout
  }

  /// Starts `renkei sync` without waiting; its output goes to a log file under `logs/`.
  func startSync(_ name: String, retries: Int, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = BinaryLocation.url(of: "renkei")
    process.arguments = ["--dir", site(name).directory, "sync", "--retries", String(retries)]
    var merged = ProcessInfo.processInfo.environment
    merged["RENKEI_HOME"] = nil
    merged.merge(environment) { _, new in new }
    process.environment = merged
    let log = root + "/logs/sync-\(name)-\(UUID().uuidString).log"
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)!
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    try process.run()
    try handle.close()
    running.removeAll { !$0.isRunning }
    running.append(process)
    return process
  }

  /// Runs `renkei sync --retries N` until it exits 0, at most `maxRuns` times; returns how
  /// many runs it took, or throws with the last run's standard error.
  @discardableResult
  func syncUntilDone(_ name: String, retries: Int = 4, maxRuns: Int = 3, environment: [String: String] = [:]) throws -> Int {
    var last = ProcessResult(status: 0, stdout: "", stderr: "")
    for run in 1...maxRuns {
      last = try renkei(name, ["sync", "--retries", String(retries)], environment: environment)
      if last.status == 0 { return run }
    }
    throw EndToEndFailure("renkei sync on \(name) did not finish in \(maxRuns) runs: \(last.stderr)")
  }

  // MARK: Files

  /// Opens the site's replica with the library. Only while no `renkei` runs on it.
  @discardableResult
  func withReplica<T>(
    _ name: String, wallClock: @escaping @Sendable () -> Int64 = Replica.systemMilliseconds, _ body: (Replica) throws -> T
  ) throws -> T {
    let replica = try Replica(path: site(name).replicaPath, wallClock: wallClock)
    defer { replica.database.close() }
    return try body(replica)
  }

  /// Opens any of the SQLite files with the store's `Database`, for reading.
  static func withDatabase<T>(_ path: String, _ body: (Database) throws -> T) throws -> T {
    let database = try Database(path: path)
    defer { database.close() }
    return try body(database)
  }

  /// `PRAGMA integrity_check` of the hub's and every replica's database; the files that
  /// did not answer `ok`, with what they answered.
  func integrityFailures() throws -> [String] {
    var failures: [String] = []
    for path in [hubDatabasePath] + siteNames.map({ site($0).replicaPath }) {
      let answer = try Self.withDatabase(path) { try $0.integrityCheck() }
      if answer != ["ok"] { failures.append("\(path): \(answer.prefix(3))") }
    }
    return failures
  }

  // MARK: Audit

  /// What the hub holds against what the agents wrote.
  struct Audit: CustomStringConvertible {
    /// Changes in the agents' logs.
    var written = 0
    /// Changes an agent wrote that the hub does not hold.
    var lost: [String] = []
    /// Changes the hub holds under an agent's (site, epoch, sequence) with another content.
    var altered: [String] = []
    /// (site, epoch, sequence) stored more than once at the hub.
    var duplicated: [String] = []
    /// Records whose history holds more or fewer versions than changes, or whose current
    /// vector counts more or fewer edits than the hub received: an edit applied twice.
    var appliedTwice: [String] = []
    /// Changes the hub holds from a site that the site's log lacks.
    var foreign: [String] = []
    /// Yen in live fund entries at the hub, and in the fund-entry creates the agents wrote.
    var hubYen: Int64 = 0
    var writtenYen: Int64 = 0
    /// The ledger is compared only when every site is audited.
    var ledgerChecked = false

    var isClean: Bool {
      lost.isEmpty && altered.isEmpty && duplicated.isEmpty && appliedTwice.isEmpty && foreign.isEmpty
        && (!ledgerChecked || hubYen == writtenYen)
    }

    var description: String {
      "\(written) changes written: \(lost.count) lost, \(altered.count) altered, \(duplicated.count) stored twice, \(appliedTwice.count) records applied twice, \(foreign.count) foreign"
        + (ledgerChecked ? "; ledger ¥\(hubYen) at the hub, ¥\(writtenYen) in the fund entries written" : "")
        + (isClean ? "" : " — e.g. \((lost + altered + duplicated + appliedTwice + foreign).prefix(3))")
    }
  }

  /// Audits every site's log against the hub's `changes` table, counted by
  /// (site, epoch, sequence), and every record's history against its changes. Call it
  /// when every agent has synced to the end.
  func audit(sites names: [String]? = nil) throws -> Audit {
    var audit = Audit()
    let hubChanges = try Self.withDatabase(hubDatabasePath) { db in
      try db.prepare("SELECT site, epoch, sequence, body FROM changes").rows().map {
        (key: "\(try $0.string(0)).\(try $0.int64(1))#\(try $0.int64(2))", body: try $0.string(3))
      }
    }
    var stored: [String: String] = [:]
    for change in hubChanges { stored[change.key] = change.body }
    var fundCreates: [String: Int64] = [:]
    for name in names ?? siteNames {
      let written = try Self.withDatabase(site(name).replicaPath) { db in
        try db.prepare("SELECT epoch, sequence, body FROM changes").rows().map {
          (key: "\(name).\(try $0.int64(0))#\(try $0.int64(1))", body: try $0.string(2))
        }
      }
      audit.written += written.count
      let mine = Set(written.map(\.key))
      for change in written {
        guard let held = stored[change.key] else {
          audit.lost.append(change.key)
          continue
        }
        if held != change.body { audit.altered.append(change.key) }
        if change.body.contains(#""kind":"fund-entry""#), change.body.contains(#""op":"create""#) {
          let decoded = try CanonicalJSON.decode(Change.self, from: change.body)
          if case .integer(let yen) = decoded.fields["amount"] ?? .null { fundCreates[decoded.recordID.rawValue] = yen }
        }
      }
      audit.foreign += hubChanges.filter { $0.key.hasPrefix(name + ".") && !mine.contains($0.key) }.map(\.key)
    }
    audit.writtenYen = fundCreates.values.reduce(0, +)
    audit.ledgerChecked = names == nil
    try Self.withDatabase(hubDatabasePath) { db in
      audit.duplicated = try db.prepare("SELECT site, epoch, sequence FROM changes GROUP BY site, epoch, sequence HAVING count(*) > 1")
        .rows().map { "\(try $0.string(0)).\(try $0.int64(1))#\(try $0.int64(2))" }
      var changeCounts: [String: Int64] = [:]
      for row in try db.prepare("SELECT record_id, count(*) FROM changes GROUP BY record_id").rows() {
        changeCounts[try row.string(0)] = try row.int64(1)
      }
      var versionCounts: [String: Int64] = [:]
      for row in try db.prepare("SELECT record_id, count(*) FROM versions GROUP BY record_id").rows() {
        versionCounts[try row.string(0)] = try row.int64(1)
      }
      for row in try db.prepare("SELECT id, vector FROM records").rows() {
        let id = try row.string(0)
        let edits = try CanonicalJSON.decode(VersionVector.self, from: try row.string(1)).total
        let changes = changeCounts[id] ?? 0
        if UInt64(changes) != edits || versionCounts[id] != changes {
          audit.appliedTwice.append("\(id): \(changes) changes, \(versionCounts[id] ?? 0) versions, vector counts \(edits)")
        }
      }
      audit.hubYen =
        try db.prepare("SELECT coalesce(sum(json_extract(state, '$.amount')), 0) FROM records WHERE kind = 'fund-entry' AND deleted = 0")
        .firstRow()!.int64(0)
    }
    return audit
  }

  /// How the site's replica differs from the hub's current versions of the records its
  /// scope may read: missing or extra records, other vectors, fields, tombstones, or
  /// conflict marks. Empty when they have converged.
  func divergence(_ name: String) throws -> [String] {
    try divergence(replicaPath: site(name).replicaPath, scope: site(name).scope)
  }

  /// How any replica file of `scope` differs from the hub's current versions.
  func divergence(replicaPath: String, scope: Scope) throws -> [String] {
    struct Held: Equatable {
      var state: String
      var deleted: Int64
      var vector: String
      var conflict: String
    }
    var hubRecords: [String: Held] = [:]
    try Self.withDatabase(hubDatabasePath) { db in
      for row in try db.prepare(
        "SELECT r.id, r.scope, r.state, r.deleted, r.vector, c.id, c.fields FROM records r LEFT JOIN conflicts c ON c.id = r.conflict_id AND c.status = 'open'"
      ).rows() where scope.canRead(try Scope(try row.string(1))) {
        var conflict = ""
        if let id = try row.optionalInt64(5) {
          let fields = try CanonicalJSON.decode([FieldConflict].self, from: try row.string(6))
          conflict = "#\(id) \(Set(fields).sorted())"
        }
        hubRecords[try row.string(0)] = Held(
          state: try row.string(2), deleted: try row.int64(3), vector: try row.string(4), conflict: conflict)
      }
    }
    var localRecords: [String: Held] = [:]
    try Self.withDatabase(replicaPath) { db in
      for row in try db.prepare("SELECT id, state, deleted, vector, conflict FROM records").rows() {
        var conflict = ""
        if let text = try row.optionalString(4) {
          let summary = try CanonicalJSON.decode(ConflictSummary.self, from: text)
          conflict = "#\(summary.id) \(Set(summary.conflicts).sorted())"
        }
        localRecords[try row.string(0)] = Held(
          state: try row.string(1), deleted: try row.int64(2), vector: try row.string(3), conflict: conflict)
      }
    }
    var differences: [String] = []
    for (id, held) in hubRecords where localRecords[id] != held {
      guard let local = localRecords[id] else {
        differences.append("\(id) missing")
        continue
      }
      var what: [String] = []
      if local.vector != held.vector { what.append("vector \(local.vector) vs hub \(held.vector)") }
      if local.state != held.state { what.append("fields differ") }
      if local.deleted != held.deleted { what.append("deleted \(local.deleted) vs hub \(held.deleted)") }
      if local.conflict != held.conflict { what.append("conflict \(local.conflict) vs hub \(held.conflict)") }
      differences.append("\(id): " + what.joined(separator: ", "))
    }
    for id in localRecords.keys where hubRecords[id] == nil { differences.append("\(id) not at the hub") }
    return differences.sorted()
  }

  /// The site's acknowledged sequence, next sequence, epoch and pull cursor.
  func replicaProgress(_ name: String) throws -> (epoch: UInt64, acknowledged: UInt64, written: UInt64, cursor: UInt64) {
    try Self.withDatabase(site(name).replicaPath) { db in
      var meta: [String: String] = [:]
      for row in try db.prepare("SELECT key, value FROM replica_meta").rows() { meta[try row.string(0)] = try row.string(1) }
      return (
        UInt64(meta["epoch"]!)!, UInt64(meta["acknowledged_sequence"]!)!, UInt64(meta["next_sequence"]!)! - 1, UInt64(meta["pull_cursor"]!)!
      )
    }
  }

  /// The last sequence the hub stored from `site.epoch`.
  func hubLastSequence(_ name: String, epoch: UInt64) throws -> UInt64 {
    try Self.withDatabase(hubDatabasePath) { db in
      try db.prepare("SELECT last_sequence FROM writers WHERE site = ? AND epoch = ?")
        .firstRow([.text(name), .integer(Int64(epoch))]).map { UInt64(try $0.int64(0)) } ?? 0
    }
  }
}
