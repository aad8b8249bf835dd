import Foundation
import RenkeiAgent
import RenkeiCore
import RenkeiHub

/// A new bureau replica pulls the whole of a large hub (1,000,000 records: what the
/// growth workload left, topped up) over loopback HTTP with `renkei sync`. No baseline:
/// it reports wall time, records/s and the peak RSS of hub and agent.
///
/// It runs last and stops at what is left of the run's time budget: then it reports how
/// many records it pulled in that time, and says so.
struct InitialLoadWorkload {
  let options: BenchmarkOptions
  let scratch: ScratchDirectory
  let largeHub: LargeHub
  /// When the run's time budget ends; nil for none.
  let deadline: ContinuousClock.Instant?

  static let newSite = BenchSite(
    id: SiteID(rawValue: "kanto-shinetsu-laptop")!, scope: BenchSite.kantoShinetsu.last!.scope, author: "関東信越厚生局 新任担当")

  func run() async throws -> WorkloadReport {
    try largeHub.fill(records: options.size(1_000_000))
    let records = largeHub.records
    largeHub.close()
    let tokens = try BenchAgent.registerSites([(Self.newSite, .bureau)], inHub: largeHub.directory)
    let hub = try HubProcess(directory: largeHub.directory, logPath: scratch.path + "/initial-hub.log")
    let agent = try await BenchAgent.initialise(
      at: try scratch.path("initial", directory: true) + "/agent", site: Self.newSite, token: tokens[Self.newSite.id]!, hub: hub.url)

    // What is left of the budget, keeping a few seconds to stop the hub and report.
    let minimum: Duration = options.quick ? .seconds(10) : .seconds(60)
    let budget = deadline.map { max(minimum, $0 - ContinuousClock.now - .seconds(3)) }
    PeakMemory.resetPeak()
    let startCPU = hub.cpuSeconds
    let pull = try await BenchAgent.sync(agent, budget: budget)
    let agentPeak = PeakMemory.peakBytes()
    let hubPeak = hub.peakBytes
    let hubCPU = hub.cpuSeconds - startCPU
    try hub.stop()
    let replica = try AgentReplica.open(agent)
    let pulled = try replica.database.prepare("SELECT count(*) FROM records").firstRow()!.int64(0)
    replica.database.close()
    let complete = pull.summary != nil
    guard !complete || (pull.pulled == records && pulled == records) else {
      throw BenchmarkError("the new replica pulled \(pull.pulled) of \(records) records")
    }
    let pages = hub.requestMilliseconds(method: "GET", path: "/v1/pull")
    let wall = pull.total.wallSeconds

    var report = WorkloadReport(
      .initial,
      summary: complete
        ? "a new bureau replica pulls \(Figure.grouped(records)) records over loopback HTTP (renkei sync); hub in a child process"
        : "a new bureau replica pulls from a hub of \(Figure.grouped(records)) records over loopback HTTP (renkei sync): STOPPED at the time budget after \(Figure.grouped(Int(pulled))) records"
    )
    report.add(.count("records_available", "records at the hub", records))
    report.add(.count("records", "records pulled", Int(pulled)))
    report.add(.count("complete", "pull complete (1) or stopped at the time budget (0)", complete ? 1 : 0))
    report.add("wall_seconds", "wall", wall, .seconds)
    report.add("records_per_second", "records/s (= changes/s: one version each)", Double(pulled) / wall, .perSecond)
    report.add("agent_cpu_seconds", "agent CPU", pull.total.cpuSeconds, .seconds)
    report.add("hub_cpu_seconds", "hub CPU", hubCPU, .seconds)
    report.add(.megabytes("hub_peak_rss_mib", "peak RSS, hub process", bytes: hubPeak))
    report.add(.megabytes("agent_peak_rss_mib", "peak RSS, agent (bench process)", bytes: agentPeak))
    report.add(.megabytes("agent_peak_rss_while_pulling_mib", "  of which reached while pulling pages", bytes: pull.peakWhilePulling))
    report.add(.megabytes("replica_database_mib", "replica database on disk", bytes: ScratchDirectory.databaseBytes(agent.replicaPath)))
    report.add(.count("pull_pages", "pull pages answered (GET /v1/pull)", pages.count))
    if let first = pages.first, let last = pages.last {
      report.add("first_page_hub_ms", "  first page, hub time", first, .milliseconds)
      report.add("last_page_hub_ms", "  last page answered, hub time", last, .milliseconds)
      report.add("mean_page_hub_ms", "  mean page, hub time", pages.reduce(0, +) / Double(pages.count), .milliseconds)
    }
    if complete {
      // How the pace changes along the pull: the first and the last tenth of the records.
      let progress = [(0.0, 0)] + pull.pullProgress
      func seconds(until share: Double) -> Double {
        let target = Int(Double(records) * share)
        return progress.first { $0.1 >= target }?.0 ?? wall
      }
      let lastPage = pull.pullProgress.last?.seconds ?? wall
      report.add("first_tenth_seconds", "  first tenth of the records, wall", seconds(until: 0.1), .seconds)
      report.add("last_tenth_seconds", "  last tenth of the records, wall", lastPage - seconds(until: 0.9), .seconds)
      report.add("closing_seconds", "  after the last page: the sync's closing steps", wall - lastPage, .seconds)
    } else {
      report.note(
        "initial: the pull was stopped when the run's time budget (--time-budget) ran out; pass --time-budget 0 to let it finish")
    }
    return report
  }
}
