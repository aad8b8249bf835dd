import Foundation
import RenkeiCore
import RenkeiStore
import Synchronization
import RenkeiTestSupport
import Testing

/// The same scripted history runs twice: once clean, once with every push delivered twice
/// (a proxy sends each one to the hub again while the original's answer is on its way),
/// every push seen so far replayed byte for byte after each round (old ones too, in a
/// seeded order), and saitama's pull feed fetched two entries a page and applied to a fresh
/// replica in a shuffled order, then once more in order. The two hubs, every replica, and
/// the fresh replica must hold exactly the same records, versions, stamps, feed positions
/// and conflicts.
///
/// Edits are written with a scripted clock in the year 2100, ahead of anything a sync
/// observes, so both runs stamp every edit alike and even the provisional winners of
/// conflicts can be compared.
@Suite struct ReliabilityDuplicateTests {
  /// A wall clock that moves one second per reading from 2100-01-01.
  final class ScriptedClock: Sendable {
    private let now = Mutex<Int64>(4_102_444_800_000)
    func next() -> Int64 {
      now.withLock {
        $0 += 1_000
        return $0
      }
    }
  }

  /// Everything a run leaves, as comparable rows.
  struct Outcome {
    var hubRecords: [String] = []
    var hubConflicts: [String] = []
    var hubChanges: [String] = []
    var replicas: [String: [String]] = [:]
  }

  /// What the faults did in the faulty run.
  struct Faults {
    var duplicated = 0
    var replayed = 0
    var replayRefusals: [String] = []
    var pages = 0
    var shuffledDivergence: [String] = []
    var inOrderDivergence: [String] = []
  }

  static let rounds = 4

  /// A row's values as one comparable line.
  static func line(_ row: Row) -> String {
    row.values.map { "\($0)" }.joined(separator: " | ")
  }

  static func run(faulty: Bool) throws -> (Outcome, Faults, divergent: [String]) {
    let world = try ReliabilityWorld(faulty ? "duplicate" : "duplicate-clean")
    let clock = ScriptedClock()
    var workload = ReliabilityWorkload(seed: ReliabilityMode.seed &+ 7)
    var random = SplitMix64(seed: ReliabilityMode.seed &+ 8)
    var faults = Faults()
    let proxy = faulty ? try ReliabilityProxy(upstreamPort: world.hubPort) : nil
    defer { proxy?.stop() }
    if let proxy {
      proxy.duplicatePushes(true)
      try world.pointAgents(to: proxy.url)
    }
    var captured: [[UInt8]] = []
    var pages: [PullPage] = []
    for round in 0..<rounds {
      for name in ["saitama", "yamanashi", "kanto"] {
        try world.withReplica(name, wallClock: { clock.next() }) {
          try workload.write(round == 0 ? 30 : 20, on: $0, tag: "\(name)-\(round)")
        }
      }
      for name in ["kanto", "saitama", "yamanashi", "kanto", "saitama"] {
        let result = try world.renkei(name, ["sync"])
        guard result.status == 0 else { throw EndToEndFailure("sync of \(name) in round \(round): \(result.stderr)") }
      }
      guard let proxy else { continue }
      // Every push seen so far, delivered once more, old ones included.
      captured += proxy.takeCapturedPushes()
      for request in captured.shuffled(using: &random) {
        let response = try RawHTTP.exchange(port: world.hubPort, request)
        faults.replayed += 1
        let result = try? JSONDecoder().decode(PushResult.self, from: Data(response.body))
        if response.status != 200 || result?.applied != 0 {
          faults.replayRefusals.append("\(response.status) \(response.text.prefix(200))")
        }
      }
      // saitama's whole feed, two entries a page.
      var cursor: UInt64 = 0
      while true {
        let response = try RawHTTP.exchange(
          port: world.hubPort, RawHTTP.request("GET", "/v1/pull?after=\(cursor)&limit=2", token: world.site("saitama").token))
        let page = try JSONDecoder().decode(PullPage.self, from: Data(response.body))
        pages.append(page)
        cursor = page.cursor
        if !page.hasMore { break }
      }
    }
    if let proxy {
      faults.duplicated = proxy.duplicatesDelivered
      faults.pages = pages.count
      // The pages of every round, applied to a fresh replica of saitama's scope in a
      // shuffled order, then once more in order.
      let fresh = world.root + "/fresh.sqlite"
      let replica = try Replica.create(at: fresh, site: SiteID(rawValue: "saitama")!, scope: try Scope("11"), author: "fresh")
      for page in pages.shuffled(using: &random) { try replica.apply(page.entries, cursor: page.cursor) }
      faults.shuffledDivergence = try world.divergence(replicaPath: fresh, scope: try Scope("11"))
      for page in pages { try replica.apply(page.entries, cursor: page.cursor) }
      faults.inOrderDivergence = try world.divergence(replicaPath: fresh, scope: try Scope("11"))
      replica.database.close()
    }

    var outcome = Outcome()
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      outcome.hubRecords = try db.prepare("SELECT id, state, deleted, vector, stamp, feed_position, conflict_id FROM records ORDER BY id")
        .rows().map(Self.line)
      outcome.hubConflicts = try db.prepare(
        "SELECT id, record_id, status, fields, base, sides, related, revision FROM conflicts ORDER BY id"
      ).rows().map(Self.line)
      outcome.hubChanges = try db.prepare("SELECT site, epoch, sequence, body FROM changes ORDER BY site, epoch, sequence").rows().map(
        Self.line)
    }
    for name in world.siteNames {
      outcome.replicas[name] = try ReliabilityWorld.withDatabase(world.site(name).replicaPath) { db in
        try db.prepare("SELECT id, state, deleted, vector, stamp, conflict FROM records ORDER BY id").rows().map(Self.line)
      }
    }
    let divergent = try world.siteNames.flatMap { name in try world.divergence(name).map { "\(name) \($0)" } }
    return (outcome, faults, divergent)
  }

  @Test func duplicatedReplayedAndReorderedDeliveriesChangeNothing() throws {
    let (clean, _, cleanDivergent) = try Self.run(faulty: false)
    let (faulty, faults, faultyDivergent) = try Self.run(faulty: true)

    func differing(_ left: [String], _ right: [String]) -> Int {
      left.count == right.count ? zip(left, right).filter { $0 != $1 }.count : abs(left.count - right.count) + min(left.count, right.count)
    }
    let records = differing(clean.hubRecords, faulty.hubRecords)
    let conflicts = differing(clean.hubConflicts, faulty.hubConflicts)
    let changes = differing(clean.hubChanges, faulty.hubChanges)
    let replicas = clean.replicas.keys.sorted().map { "\($0) \(differing(clean.replicas[$0]!, faulty.replicas[$0] ?? []))" }
    print(
      """
      [Reliability 4: duplicates and reordering, seed \(ReliabilityMode.seed)] \(Self.rounds) rounds of scripted edits on 3 sites, \
      synced 5 times a round; \(faults.duplicated) pushes delivered twice by the proxy, \(faults.replayed) replays of pushes already \
      delivered (\(faults.replayRefusals.count) not acknowledged as repeats), \(faults.pages) pull pages of 2 applied to a fresh replica \
      shuffled then in order
        against the clean run: \(records) of \(clean.hubRecords.count) hub records differ (fields, vector, stamp, feed position), \
      \(conflicts) of \(clean.hubConflicts.count) conflicts differ (fields, base, sides, revision), \(changes) of \(clean.hubChanges.count) \
      stored changes differ; replicas' differing records: \(replicas.joined(separator: ", "))
        fresh replica from shuffled pages: \(faults.shuffledDivergence.count) records differ from the hub, after in-order pages: \
      \(faults.inOrderDivergence.count); agents converged: clean \(cleanDivergent.isEmpty ? "yes" : "NO"), faulty \(faultyDivergent.isEmpty ? "yes" : "NO")
      """)
    let replicaRows = clean.replicas.values.reduce(0) { $0 + $1.count }
    let replicaDiffer = clean.replicas.keys.reduce(0) { $0 + differing(clean.replicas[$1]!, faulty.replicas[$1] ?? []) }
    let identical = records == 0 && conflicts == 0 && changes == 0 && replicaDiffer == 0
    let fresh = faults.shuffledDivergence.count + faults.inOrderDivergence.count
    print(
      "FIGURE 4 | duplicates and reordering | \(faults.duplicated) pushes delivered twice, \(faults.replayed) old pushes replayed (\(faults.replayRefusals.count) not taken as repeats), \(faults.pages) pull pages of 2 applied shuffled: \(identical ? "identical" : "NOT identical") to a clean run (\(records)/\(clean.hubRecords.count) hub records, \(conflicts)/\(clean.hubConflicts.count) conflicts, \(changes)/\(clean.hubChanges.count) changes, \(replicaDiffer)/\(replicaRows) replica records differ), shuffled-page replica \(fresh == 0 ? "equal to the hub" : "differs in \(fresh) records")"
    )
    #expect(faults.duplicated > 0 && faults.replayed > 0 && faults.pages > 0, "the faults happened")
    #expect(faults.replayRefusals.isEmpty, "\(faults.replayRefusals.prefix(3))")
    #expect(!clean.hubConflicts.isEmpty, "the script makes conflicts to compare")
    #expect(records == 0 && conflicts == 0 && changes == 0, "the faulty run's hub differs from the clean run's")
    #expect(clean.replicas == faulty.replicas, "\(replicas)")
    #expect(faults.shuffledDivergence.isEmpty, "\(faults.shuffledDivergence.prefix(5))")
    #expect(faults.inOrderDivergence.isEmpty, "\(faults.inOrderDivergence.prefix(5))")
    #expect(cleanDivergent.isEmpty && faultyDivergent.isEmpty, "\((cleanDivergent + faultyDivergent).prefix(5))")
  }
}
