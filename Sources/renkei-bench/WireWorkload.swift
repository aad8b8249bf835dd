import Foundation
import RenkeiAgent
import RenkeiCore
import RenkeiStore

/// The bytes a sync puts on the wire per change, HTTP heads included, counted by a
/// loopback proxy between the agents and the hub: one agent pushes 10,000 changes (the
/// local-edit mix), a second pulls what they made. Baseline: the JSON size of the changed
/// fields alone (`{"venue":"…"}` for an edit of the venue; the whole record for a create).
struct WireWorkload {
  let options: BenchmarkOptions
  let scratch: ScratchDirectory

  static let pushingSite = BenchSite.prefecture("12")
  static let pullingSite = BenchSite.bureau("kanto-shinetsu")

  func run() async throws -> WorkloadReport {
    let hubDirectory = try scratch.path("wire/hub", directory: true)
    let tokens = try BenchAgent.registerSites([(Self.pushingSite, .prefecture), (Self.pullingSite, .bureau)], inHub: hubDirectory)
    let pusher = try await BenchAgent.initialise(
      at: scratch.path + "/wire/pusher", site: Self.pushingSite, token: tokens[Self.pushingSite.id]!)
    let puller = try await BenchAgent.initialise(
      at: scratch.path + "/wire/puller", site: Self.pullingSite, token: tokens[Self.pullingSite.id]!)
    let changes = try SyncWorkload.writePending(count: options.size(10_000), seed: options.seed, into: pusher, label: "wire")
    let fieldBytes = try Self.changedFieldBytes(in: pusher)

    let hub = try HubProcess(directory: hubDirectory, logPath: scratch.path + "/wire/hub.log")
    let proxy = try LoopbackProxy(forwardingTo: hub.url.port!)
    defer { proxy.stop() }
    let proxied = URL(string: "http://127.0.0.1:\(proxy.port)")!
    try BenchAgent.point(pusher, at: proxied)
    try BenchAgent.point(puller, at: proxied)

    let push = try await BenchAgent.sync(pusher) { [proxy] in [proxy.counts.toServer, proxy.counts.toClient] }
    guard push.pushed == changes, let pushed = push.pushSnapshot else {
      throw BenchmarkError("the wire workload pushed \(push.pushed) of \(changes) changes")
    }
    let beforePull = proxy.counts
    let pull = try await BenchAgent.sync(puller)
    let afterPull = proxy.counts
    try hub.stop()
    let pushRequests = hub.requestMilliseconds(method: "POST", path: "/v1/push").count
    let pullRequests = hub.requestMilliseconds(method: "GET", path: "/v1/pull").count
    let pullerRequests = pullRequests - (push.pullProgress.count + 1)
    let pullUp = afterPull.toServer - beforePull.toServer
    let pullDown = afterPull.toClient - beforePull.toClient
    let records = pull.pulled
    let baseline = Double(fieldBytes) / Double(changes)
    let pushPerChange = Double(pushed[0] + pushed[1]) / Double(changes)
    let pullPerChange = Double(pullUp + pullDown) / Double(changes)

    var report = WorkloadReport(
      .wire,
      summary:
        "bytes through a loopback proxy: \(Figure.grouped(changes)) changes pushed (\(Figure.grouped(changes / 10)) creates, the rest edits), then \(Figure.grouped(records)) records pulled by a second agent"
    )
    report.add(.count("changes", "changes pushed", changes))
    report.add(.count("push_requests", "push requests", pushRequests))
    report.add(Figure("push_bytes_to_hub", "push: bytes sent to the hub", Double(pushed[0]), .bytes))
    report.add(Figure("push_bytes_from_hub", "push: bytes received from the hub", Double(pushed[1]), .bytes))
    report.add("push_bytes_per_change", "push: bytes on the wire per change", pushPerChange, .bytes)
    report.add(.count("records_pulled", "records pulled (the versions those changes made)", records))
    report.add(.count("pull_requests", "pull requests by the second agent", pullerRequests))
    report.add(Figure("pull_bytes_to_hub", "pull: bytes sent to the hub", Double(pullUp), .bytes))
    report.add(Figure("pull_bytes_from_hub", "pull: bytes received from the hub", Double(pullDown), .bytes))
    report.add("pull_bytes_per_change", "pull: bytes on the wire per change pushed", pullPerChange, .bytes)
    report.add("pull_bytes_per_record", "pull: bytes on the wire per record pulled", Double(pullUp + pullDown) / Double(records), .bytes)
    report.add("baseline_bytes_per_change", "baseline: JSON of the changed fields, per change", baseline, .bytes)
    report.add("push_ratio_to_baseline", "ratio push bytes / changed-field bytes", pushPerChange / baseline, .ratio)
    report.add("pull_ratio_to_baseline", "ratio pull bytes / changed-field bytes", pullPerChange / baseline, .ratio)
    report.note(
      "wire: the byte counts include each sync's whoami exchange and every HTTP head; the pull side is the second agent's whole sync")
    return report
  }

  /// The JSON size of every pending change's fields alone, summed.
  static func changedFieldBytes(in directory: AgentDirectory) throws -> Int {
    let replica = try AgentReplica.open(directory)
    defer { replica.database.close() }
    var total = 0
    try replica.database.prepare("SELECT body FROM changes ORDER BY epoch, sequence").forEachRow { row in
      let change = try CanonicalJSON.decode(Change.self, from: try row.string(0))
      total += try CanonicalJSON.encode(change.fields).utf8.count
    }
    return total
  }
}
