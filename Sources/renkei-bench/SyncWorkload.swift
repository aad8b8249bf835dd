import Foundation
import RenkeiAgent
import RenkeiCore
import RenkeiHub
import RenkeiStore

/// One agent pushes 100,000 pending changes to a real hub over loopback HTTP with
/// `ReplicaSync.run` (`renkei sync`), then a second agent pulls them. Baseline: the same
/// changes pushed in-process with `Hub.push` into a fresh hub, in the same batches.
///
/// The hub runs as a child process, so its peak RSS is its own; the agents run in this
/// process, whose peak is reset before each agent's sync.
struct SyncWorkload {
  let options: BenchmarkOptions
  let scratch: ScratchDirectory
  let fixture: SyncFixture

  func run() async throws -> WorkloadReport {
    var notes: [String] = []
    if fixture.pendingWrites == 0 {
      fixture.pendingWrites = try Self.writePending(count: options.size(100_000), seed: options.seed, into: fixture.pusher)
      notes.append("the local-edit workload did not run: the pending changes were written here, untimed")
    }
    let hub = try HubProcess(directory: fixture.hubDirectory, logPath: scratch.path + "/sync/hub.log")
    try BenchAgent.point(fixture.pusher, at: hub.url)
    try BenchAgent.point(fixture.puller, at: hub.url)

    // Push (and the pusher's own pull of what it pushed).
    PeakMemory.resetPeak()
    hub.resetPeak()
    var hubCPU = hub.cpuSeconds
    let push = try await BenchAgent.sync(fixture.pusher)
    let pusherPeak = PeakMemory.peakBytes()
    let hubPushPeak = hub.peakBytes
    let hubPushCPU = hub.cpuSeconds - hubCPU
    guard push.pushed == fixture.pendingWrites else {
      throw BenchmarkError("the sync pushed \(push.pushed) of \(fixture.pendingWrites) pending changes")
    }
    let pushSeconds = push.pushWallSeconds ?? push.total.wallSeconds

    // Pull by the second agent.
    PeakMemory.resetPeak()
    hub.resetPeak()
    hubCPU = hub.cpuSeconds
    let pull = try await BenchAgent.sync(fixture.puller)
    let pullerPeak = PeakMemory.peakBytes()
    let hubPullPeak = hub.peakBytes
    let hubPullCPU = hub.cpuSeconds - hubCPU
    try hub.stop()
    let records = try AgentReplica.open(fixture.puller).records(includeDeleted: true).count
    guard pull.pulled == records, records > 0 else {
      throw BenchmarkError("the second agent pulled \(pull.pulled) versions but holds \(records) records")
    }

    // Baseline: the same changes, pushed in-process.
    let baseline = try Self.pushInProcess(from: fixture.pusher, into: scratch.path + "/sync/baseline-hub.sqlite")
    let changes = Double(fixture.pendingWrites)

    var report = WorkloadReport(
      .sync,
      summary:
        "\(Figure.grouped(fixture.pendingWrites)) pending changes pushed by one agent over loopback HTTP (renkei sync), \(Figure.grouped(records)) records pulled by a second; hub in a child process"
    )
    report.add(.count("changes", "changes pushed", fixture.pendingWrites))
    report.add("push_wall_seconds", "push over HTTP, wall", pushSeconds, .seconds)
    report.add("push_changes_per_second", "push over HTTP, changes/s", changes / pushSeconds, .perSecond)
    report.add("push_hub_cpu_seconds", "  hub CPU (push and pusher's pull)", hubPushCPU, .seconds)
    report.add("push_agent_cpu_seconds", "  agent CPU (push and pusher's pull)", push.total.cpuSeconds, .seconds)
    report.add("pusher_pull_back_seconds", "pusher's pull of its merged records, wall", push.total.wallSeconds - pushSeconds, .seconds)
    report.add("baseline_wall_seconds", "baseline: Hub.push in-process, wall", baseline.wallSeconds, .seconds)
    report.add("baseline_changes_per_second", "baseline, changes/s", changes / baseline.wallSeconds, .perSecond)
    report.add("push_ratio_to_baseline", "ratio push over HTTP / in-process (wall)", pushSeconds / baseline.wallSeconds, .ratio)
    report.add(.count("records_pulled", "records pulled by the second agent", pull.pulled))
    report.add("pull_wall_seconds", "pull over HTTP, wall", pull.total.wallSeconds, .seconds)
    report.add("pull_changes_per_second", "pull, changes carried/s", changes / pull.total.wallSeconds, .perSecond)
    report.add("pull_records_per_second", "pull, records/s", Double(records) / pull.total.wallSeconds, .perSecond)
    report.add("pull_hub_cpu_seconds", "  hub CPU", hubPullCPU, .seconds)
    report.add("pull_agent_cpu_seconds", "  agent CPU", pull.total.cpuSeconds, .seconds)
    report.add("pull_ratio_to_baseline", "ratio pull / in-process push (wall)", pull.total.wallSeconds / baseline.wallSeconds, .ratio)
    report.add(
      "ratio_to_baseline", "ratio push + pull / in-process push (wall)", (pushSeconds + pull.total.wallSeconds) / baseline.wallSeconds,
      .ratio)
    report.add(.megabytes("hub_peak_rss_push_mib", "peak RSS, hub process, during push", bytes: hubPushPeak))
    report.add(.megabytes("hub_peak_rss_pull_mib", "peak RSS, hub process, during pull", bytes: hubPullPeak))
    report.add(.megabytes("pusher_peak_rss_mib", "peak RSS, pushing agent (bench process)", bytes: pusherPeak))
    report.add(.megabytes("puller_peak_rss_mib", "peak RSS, pulling agent (bench process)", bytes: pullerPeak))
    notes.append("sync: the hub and the agent run on the same machine and share its CPUs")
    report.notes = notes
    return report
  }

  /// Writes `count` pending changes into the agent's replica through the replica API, in
  /// transactions of 1,000, untimed: the same writes the local-edit workload makes.
  static func writePending(count: Int, seed: UInt64, into directory: AgentDirectory, label: String = "local-edit") throws -> Int {
    let replica = try AgentReplica.open(directory)
    defer { replica.database.close() }
    var writes = LocalWrites(seed: seed, label: label, scope: replica.scope, total: count)
    while !writes.isFinished {
      try replica.database.inTransaction {
        for _ in 0..<LocalEditWorkload.transactionSize where !writes.isFinished {
          _ = try LocalWrites.apply(try writes.next(), to: replica)
        }
      }
    }
    return writes.written
  }

  /// Pushes the agent's changes in-process into a fresh hub, in ReplicaSync's batches.
  /// Only the pushes are timed; reading and decoding the batches is not.
  static func pushInProcess(from directory: AgentDirectory, into path: String) throws -> Measurement {
    let replica = try AgentReplica.open(directory)
    defer { replica.database.close() }
    let hub = try Hub(path: path)
    defer { hub.database.close() }
    var time = Measurement()
    var last: Int64 = 0
    while true {
      let rows = try replica.database.cachedStatement(
        "SELECT sequence, body FROM changes WHERE epoch = ? AND sequence > ? ORDER BY sequence LIMIT ?"
      )
      .rows([.integer(Int64(replica.epoch)), .integer(last), .integer(Int64(ReplicaSync.pushBatch))])
      guard let tail = rows.last else { return time }
      last = try tail.int64(0)
      let batch = try rows.map { try CanonicalJSON.decode(Change.self, from: try $0.string(1)) }
      let result = try Measurement.adding(to: &time) { try hub.push(batch, from: replica.site, scope: replica.scope) }
      guard result.applied == batch.count else {
        throw BenchmarkError("the in-process hub applied \(result.applied) of \(batch.count) changes")
      }
    }
  }
}
