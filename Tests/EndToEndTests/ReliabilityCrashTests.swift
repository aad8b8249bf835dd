import Foundation
import Glibc
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

/// `kill -9` of `renkei sync`, and separately of `renkei-hub`, at seeded random moments of
/// syncs big enough that the kills land in the push, the hub's apply, the pull and the
/// agent's local apply. After every kill the hub restarts on the same directory (on a new
/// port, which every agent's `agent.json` is pointed at), the agent syncs to the end, and
/// nothing may be lost, altered, stored twice or applied twice, and the agent must hold
/// what the hub holds.
@Suite struct ReliabilityCrashTests {
  /// Where a kill landed, read from the files after it: what the hub had committed, what
  /// the agent had recorded, and how far its pull had got.
  enum Phase: String, CaseIterable {
    case beforeCommit = "push, before the hub committed a batch"
    case betweenBatches = "push, between batches"
    case unacknowledged = "push, hub committed but the agent had not recorded it"
    case pull = "pull or local apply"
    case finished = "after the sync's work"
  }

  /// One sync run to its end without a kill: when the hub had committed its push, and when
  /// the agent stored its last pull page, in seconds from its start.
  struct Timing {
    var committed: Double
    var pulled: Double
  }

  /// Waits until the hub has stored `written` changes of the site's epoch, or the process
  /// has exited; returns the seconds since `start`, or nil if it exited first.
  static func waitForCommit(_ world: ReliabilityWorld, _ name: String, epoch: UInt64, written: UInt64, process: Process, since start: Date)
    throws -> Double?
  {
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      let statement = try db.prepare("SELECT last_sequence FROM writers WHERE site = ? AND epoch = ?")
      while process.isRunning {
        let last = try statement.firstRow([.text(name), .integer(Int64(epoch))]).map { UInt64(try $0.int64(0)) } ?? 0
        if last >= written { return Date().timeIntervalSince(start) }
        usleep(2_000)
      }
      return nil
    }
  }

  /// Runs one sync to its end, watching when its push is committed and when its pull
  /// cursor last moves.
  static func timedSync(_ world: ReliabilityWorld, _ name: String) throws -> Timing {
    let progress = try world.replicaProgress(name)
    let start = Date()
    let process = try world.startSync(name, retries: 4)
    let committed = try waitForCommit(world, name, epoch: progress.epoch, written: progress.written, process: process, since: start)
    var pulled = committed ?? 0
    try ReliabilityWorld.withDatabase(world.site(name).replicaPath) { db in
      let statement = try db.prepare("SELECT value FROM replica_meta WHERE key = 'pull_cursor'")
      var cursor = try statement.firstRow()?.string(0)
      while process.isRunning {
        let now = try statement.firstRow()?.string(0)
        if now != cursor {
          cursor = now
          pulled = Date().timeIntervalSince(start)
        }
        usleep(2_000)
      }
    }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw EndToEndFailure("a clean sync of \(name) failed") }
    return Timing(committed: committed ?? pulled, pulled: pulled)
  }

  @Test func killsAnywhereLoseNothingAndCountNothingTwice() throws {
    let kills = ReliabilityMode.count(short: 30, long: 200)
    // Rounds stay small in the long mode too: what it adds is kills, and a round of 100
    // changes still gives a push, a hub apply and a pull to aim at (the import gives the
    // push of several batches).
    let perRound = ReliabilityMode.count(short: 80, long: 100)
    let world = try ReliabilityWorld("crash")
    var random = SplitMix64(seed: ReliabilityMode.seed)
    var workload = ReliabilityWorkload(seed: ReliabilityMode.seed &+ 1)
    let names = ["saitama", "kanto", "yamanashi"]

    // The initial load: events imported from a CSV on saitama (several push batches and,
    // for the bureau, several pull pages), and a round of local work on the others.
    let csv = world.root + "/events.csv"
    let imported = ReliabilityMode.count(short: 1200, long: 3000)
    try ReliabilityWorkload.csv(rows: imported, prefix: "crash", prefecture: "11").write(toFile: csv, atomically: true, encoding: .utf8)
    try world.ok("saitama", ["import", "events", csv])
    var written = 0
    for name in ["kanto", "yamanashi"] {
      written += try world.withReplica(name) { try workload.write(perRound, on: $0, tag: "\(name)-0") }.changes
    }
    // How long the parts of a sync take, to aim kills inside them: the first syncs of kanto
    // and yamanashi, then one more round of work on each. Only aim, never asserted.
    var pushSpan = 0.0
    var pullSpan = 0.0
    for (index, name) in ["kanto", "yamanashi", "kanto", "yamanashi"].enumerated() {
      if index >= 2 { written += try world.withReplica(name) { try workload.write(perRound, on: $0, tag: "\(name)-c") }.changes }
      let timing = try Self.timedSync(world, name)
      pushSpan = max(pushSpan, timing.committed)
      pullSpan = max(pullSpan, timing.pulled - timing.committed)
    }

    var landed: [String: [Phase: Int]] = ["agent": [:], "hub": [:]]
    var aimed: [String: Int] = [:]
    var recoveryRuns: [Int: Int] = [:]
    var integrityFailures: [String] = []
    var integrityOK = 0
    var divergent: [String] = []
    var failedAudits: [String] = []
    for round in 1...kills {
      // The first kill lands in saitama's first sync of the whole import.
      let name = round == 1 ? "saitama" : names[round % names.count]
      let victim = round % 2 == 1 ? "agent" : "hub"
      if round > 1 {
        written += try world.withReplica(name) { try workload.write(perRound, on: $0, tag: "\(name)-r\(round)") }.changes
      }
      let before = try world.replicaProgress(name)

      // Aim at the push (and the hub's apply of it), or at the pull (and the agent's
      // apply of its pages) once the hub has committed the push.
      let start = Date()
      let sync = try world.startSync(name, retries: 1)
      let atPull = round > 1 && Bool.random(using: &random)
      aimed[atPull ? "pull" : "push", default: 0] += 1
      if atPull {
        if let committed = try Self.waitForCommit(world, name, epoch: before.epoch, written: before.written, process: sync, since: start) {
          pushSpan = (pushSpan + committed) / 2
        }
        // The hub's part of a pull (answering its pages) ends before the agent's (storing them).
        let span = victim == "hub" ? pullSpan / 2 : pullSpan
        usleep(useconds_t(Double.random(in: 0...span, using: &random) * 1_000_000))
      } else {
        let span = round == 1 ? pushSpan * Double(imported) / Double(perRound) : pushSpan
        usleep(useconds_t(Double.random(in: 0...span, using: &random) * 1_000_000))
      }
      if victim == "hub" {
        world.killHub()
      } else {
        kill(sync.processIdentifier, SIGKILL)
      }
      sync.waitUntilExit()

      // The files as the kill left them, before anything reopens them for work.
      let damaged = try world.integrityFailures()
      if damaged.isEmpty { integrityOK += 1 }
      integrityFailures += damaged.map { "round \(round): \($0)" }
      let atKill = try world.replicaProgress(name)
      let hubLast = try world.hubLastSequence(name, epoch: atKill.epoch)
      if victim == "hub" { try world.restartHub() }
      let runs = try world.syncUntilDone(name)
      recoveryRuns[runs, default: 0] += 1
      let after = try world.replicaProgress(name)

      let phase: Phase
      if hubLast < atKill.written {
        phase = hubLast > atKill.acknowledged ? .unacknowledged : hubLast > before.acknowledged ? .betweenBatches : .beforeCommit
      } else if atKill.acknowledged < atKill.written {
        phase = .unacknowledged
      } else {
        phase = atKill.cursor < after.cursor ? .pull : .finished
      }
      landed[victim]![phase, default: 0] += 1

      divergent += try world.divergence(name).prefix(3).map { "round \(round) \(name): \($0)" }
      let audit = try world.audit(sites: [name])
      if !audit.isClean { failedAudits.append("round \(round): \(audit)") }
    }

    // Everyone syncs to the end, twice, so every replica has seen every edit.
    for name in names + names { try world.syncUntilDone(name) }
    let audit = try world.audit()
    integrityFailures += try world.integrityFailures()
    for name in names { divergent += try world.divergence(name).prefix(3).map { "end \(name): \($0)" } }

    func describe(_ phases: [Phase: Int]) -> String {
      Phase.allCases.compactMap { phase in phases[phase].map { "\($0) \(phase.rawValue)" } }.joined(separator: ", ")
    }
    print(
      """
      [Reliability 1: crash anywhere, \(ReliabilityMode.name) mode, seed \(ReliabilityMode.seed)] \(kills) kills -9 \
      (\(landed["agent"]!.values.reduce(0, +)) of renkei sync, \(landed["hub"]!.values.reduce(0, +)) of renkei-hub), aimed \
      \(aimed["push"] ?? 0) at the push (the first at saitama's sync of \(imported) imported events) and \(aimed["pull"] ?? 0) at the pull
        agent killed during: \(describe(landed["agent"]!))
        hub killed during: \(describe(landed["hub"]!))
        integrity_check ok after every kill: \(integrityFailures.isEmpty ? "yes" : "NO \(integrityFailures.prefix(3))"); \
      recovery syncs needed: \(recoveryRuns.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key) run\($0.key == 1 ? "" : "s")" }.joined(separator: ", "))
        \(audit) (\(written) changes generated + the CSV import); audits after each recovery: \(failedAudits.isEmpty ? "all clean" : "\(failedAudits.count) NOT clean")
        replicas converged with the hub after every recovery and at the end: \(divergent.isEmpty ? "yes" : "NO \(divergent.prefix(3))")
      """)
    let agentKills = landed["agent"]!.values.reduce(0, +)
    let lost = audit.lost.count + audit.altered.count
    let twice = audit.duplicated.count + audit.appliedTwice.count
    print(
      "FIGURE 1 | crash anywhere | \(kills) kills (\(agentKills) agent, \(kills - agentKills) hub; \(aimed["push"] ?? 0) aimed at push/hub apply, \(aimed["pull"] ?? 0) at pull/local apply): integrity ok \(integrityOK)/\(kills), \(lost) lost, \(twice) applied twice, \(divergent.isEmpty && failedAudits.isEmpty ? "converged" : "NOT converged")"
    )
    #expect(integrityFailures.isEmpty, "\(integrityFailures)")
    #expect(audit.isClean, "\(audit)")
    #expect(failedAudits.isEmpty, "\(failedAudits.prefix(3))")
    #expect(divergent.isEmpty, "\(divergent.prefix(10))")
    #expect(audit.written >= written, "the agents' logs hold every generated change")
  }
}
