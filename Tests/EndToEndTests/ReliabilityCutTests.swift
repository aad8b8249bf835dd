import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

/// A proxy between saitama's agent and the hub cuts the connection after N bytes, in
/// either direction, at offsets spread over a whole sync (the question who-am-I, the push,
/// the pull) and aimed at the hub's answer to a push it has already committed. Each time
/// `renkei sync --retries 3` runs (again, if it exits non-zero) until it succeeds, and
/// nothing may be lost or stored twice, and saitama must hold what the hub holds.
@Suite struct ReliabilityCutTests {
  @Test func cutConnectionsLoseNothingAndDuplicateNothing() throws {
    let trials = ReliabilityMode.count(short: 30, long: 120)
    let world = try ReliabilityWorld("cut", sites: [("saitama", "prefecture", "11"), ("kanto", "bureau", "kanto-shinetsu")])
    let proxy = try ReliabilityProxy(upstreamPort: world.hubPort)
    defer { proxy.stop() }
    try world.point("saitama", to: proxy.url)
    var random = SplitMix64(seed: ReliabilityMode.seed &+ 3)
    var workload = ReliabilityWorkload(seed: ReliabilityMode.seed &+ 4)
    let perTrial = 40

    // A clean sync through the proxy shows the shape of one: the exchanges and their bytes.
    for name in ["saitama", "kanto"] { try world.withReplica(name) { try workload.write(perTrial, on: $0, tag: "\(name)-c") } }
    try world.syncUntilDone("kanto")
    proxy.arm(nil)
    try world.syncUntilDone("saitama")
    let shape = proxy.exchanges
    let total = proxy.counted
    guard shape.count >= 3, shape[0].line.hasPrefix("GET /v1/whoami"), shape[1].line.hasPrefix("POST /v1/push") else {
      Issue.record("unexpected exchanges in a clean sync: \(shape.map(\.line))")
      return
    }
    // The answer to the push starts where the answer to who-am-I (always the same size)
    // ends; a cut inside it comes after the hub committed the push.
    let pushAnswer = shape[1].responseOffset
    let pushAnswerSize = shape[2].responseOffset - pushAnswer
    let pushRequest = shape[1].requestOffset
    var plan: [ReliabilityProxy.Cut] = [
      .init(direction: .response, after: pushAnswer), .init(direction: .response, after: pushAnswer + 1),
      .init(direction: .response, after: pushAnswer + pushAnswerSize / 2),
      .init(direction: .response, after: pushAnswer + pushAnswerSize - 1),
      .init(direction: .request, after: pushRequest + 10), .init(direction: .request, after: pushRequest + shape[1].requestSize / 2),
      .init(direction: .request, after: pushRequest + shape[1].requestSize - 1),
      .init(direction: .request, after: pushRequest + shape[1].requestSize),
    ]
    // The rest spread evenly over both directions of a whole sync, at seeded places.
    let spread = trials - plan.count
    for index in 0..<spread {
      let direction: ReliabilityProxy.Direction = index % 2 == 0 ? .request : .response
      let size = direction == .request ? total.request : total.response
      let stratum = Double(index / 2) + Double.random(in: 0..<1, using: &random)
      plan.append(.init(direction: direction, after: Int(Double(size) * stratum / Double((spread + 1) / 2))))
    }

    var runs: [Int: Int] = [:]
    var hits: [String: Int] = [:]
    var afterCommit = 0
    var missed = 0
    var failures: [String] = []
    var rerunBecause: [String] = []
    var crashed: [String] = []
    for (index, cut) in plan.enumerated() {
      // Now and then the bureau edits saitama's records too, so pulls carry merges.
      if index % 5 == 0 {
        try world.withReplica("kanto") { try workload.write(perTrial / 2, on: $0, tag: "kanto-t\(index)") }
        try world.syncUntilDone("kanto")
      }
      try world.withReplica("saitama") { try workload.write(perTrial, on: $0, tag: "saitama-t\(index)") }
      let cutsBefore = proxy.cutsMade
      let hubBefore = try world.hubLastSequence("saitama", epoch: 1)
      proxy.arm(cut)
      var run = 0
      var exitedZero = false
      while run < 5 && !exitedZero {
        run += 1
        let result = try world.renkei("saitama", ["sync", "--retries", "3"])
        exitedZero = result.status == 0
        if result.stderr.contains("Program crashed") || result.stderr.contains("Fatal error") {
          let line = result.stderr.split(separator: "\n").first { $0.contains("Fatal error") } ?? "crashed"
          crashed.append("cut \(index) (\(cut)): \(line)")
        } else if !exitedZero {
          rerunBecause.append("cut \(index) (\(cut)): \(result.stderr.split(separator: "\n").last ?? "")")
        }
      }
      runs[exitedZero ? run : 99, default: 0] += 1
      let exchanges = proxy.exchanges
      if proxy.cutsMade == cutsBefore {
        missed += 1
        proxy.arm(nil)
      } else if let hit = exchanges.last(where: { (cut.direction == .request ? $0.requestOffset : $0.responseOffset) <= cut.after }) {
        let what = String(hit.line.split(separator: " ").prefix(2).joined(separator: " ").split(separator: "?").first ?? "")
        hits["\(what) \(cut.direction)", default: 0] += 1
        // An answer cut while the hub had already stored the push it answers.
        if what == "POST /v1/push", cut.direction == .response, try world.hubLastSequence("saitama", epoch: 1) > hubBefore {
          afterCommit += 1
        }
      }
      let audit = try world.audit()
      if !audit.isClean { failures.append("cut \(index) (\(cut)): \(audit)") }
      failures += try world.divergence("saitama").prefix(3).map { "cut \(index) (\(cut)): \($0)" }
    }

    let fired = plan.count - missed
    print(
      """
      [Reliability 3: cut connections, \(ReliabilityMode.name) mode, seed \(ReliabilityMode.seed)] \(plan.count) cuts planned over a sync of \
      \(total.request) bytes agent→hub and \(total.response) bytes hub→agent (\(shape.map { $0.line.split(separator: " ").prefix(2).joined(separator: " ") }.joined(separator: ", "))); \
      \(fired) made, \(missed) fell after the sync's last byte
        cuts by exchange and direction: \(hits.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        \(afterCommit) cuts of the hub's answer to a push it had already committed
        runs of renkei sync --retries 3 until exit 0: \(runs.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key == 99 ? "never" : String($0.key))" }.joined(separator: ", "))\
      \(rerunBecause.isEmpty ? "" : "; runs that failed: \(rerunBecause)")
        runs of renkei sync that crashed: \(crashed.count)\(crashed.isEmpty ? "" : " \(crashed)")
        \(try world.audit())
        saitama converged with the hub after every cut: \(failures.isEmpty ? "yes" : "NO")
      """)
    let final = try world.audit()
    let byDirection = ReliabilityProxy.Direction.request.description
    let toHub = hits.filter { $0.key.hasSuffix(byDirection) }.values.reduce(0, +)
    let exchangesHit = Set(hits.keys.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }).sorted()
    let mostRuns = runs.keys.max() ?? 0
    print(
      "FIGURE 3 | cut connections | \(fired) cuts at byte offsets (\(toHub) agent→hub, \(fired - toHub) hub→agent; in \(exchangesHit.joined(separator: ", ")); \(afterCommit) after the hub committed a push, before its answer arrived): \(final.lost.count) lost, \(final.duplicated.count + final.appliedTwice.count) duplicated, \(failures.isEmpty ? "converged" : "NOT converged") every time, \(mostRuns == 1 ? "each in one renkei sync --retries 3" : "in at most \(mostRuns == 99 ? "never" : String(mostRuns)) runs of renkei sync --retries 3")"
    )
    #expect(failures.isEmpty, "\(failures.prefix(10))")
    // One cut per sync, and three attempts per request: the first run must absorb it.
    #expect(runs.keys.allSatisfy { $0 == 1 }, "every cut sync succeeded in its first run of renkei sync --retries 3: \(runs)")
    // A cut is for the retry policy to absorb; a crash is not that.
    #expect(crashed.isEmpty, "renkei sync crashed: \(crashed)")
    #expect(afterCommit >= 1, "at least one cut fell after the hub committed a push")
    #expect(fired >= plan.count * 3 / 4, "most planned cuts fell inside a sync")
  }
}
