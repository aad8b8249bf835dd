import Foundation
import RenkeiAgent
import RenkeiCore
import RenkeiHub

/// Hub directories with registered sites, and agent directories set up for them.
enum BenchAgent {
  /// Creates a hub directory and registers `sites`; returns each site's token.
  static func registerSites(_ sites: [(site: BenchSite, role: SiteRole)], inHub directory: String) throws -> [SiteID: String] {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let hub = try Hub(path: HubServer.databasePath(in: directory))
    defer { hub.database.close() }
    var tokens: [SiteID: String] = [:]
    for (site, role) in sites {
      tokens[site.id] = try hub.addSite(site.id, role: role, scope: site.scope).text
    }
    return tokens
  }

  /// Sets up an agent directory offline (`renkei init --scope`), pointing at `hub`, which
  /// need not be running yet.
  static func initialise(at path: String, site: BenchSite, token: String, hub: URL = URL(string: "http://127.0.0.1:9")!) async throws
    -> AgentDirectory
  {
    let tokenFile = path + ".token"
    _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600])
    let directory = AgentDirectory(explicit: path)
    _ = try await AgentReplica.initialise(directory, site: site.id, hub: hub, tokenFile: tokenFile, scope: site.scope, author: site.author)
    return directory
  }

  /// Points an agent at the hub now serving at `url`.
  static func point(_ directory: AgentDirectory, at url: URL) throws {
    var configuration = try AgentConfiguration.load(from: directory)
    configuration.hub = url
    try configuration.save(to: directory)
  }

  /// Runs one `renkei sync`, noting when the push phase ended (the last "pushed … of …"
  /// progress line) and how far the pull had got after each page.
  ///
  /// `snapshot` is taken at each push progress line; the last one is kept. With a
  /// `budget`, the sync is cancelled when it runs out (between two requests or during
  /// one); the timing then says so and has no summary.
  static func sync(_ directory: AgentDirectory, budget: Duration? = nil, snapshot: (@Sendable () -> [Int])? = nil) async throws
    -> SyncTiming
  {
    let log = SyncProgressLog(snapshot: snapshot)
    let start = Measurement.Instant.now
    let task = Task { try await ReplicaSync.run(directory: directory) { line in log.record(line) } }
    let watchdog = Task {
      guard let budget else { return }
      try await Task.sleep(for: budget)
      task.cancel()
    }
    defer { watchdog.cancel() }
    var summary: SyncSummary?
    do {
      summary = try await task.value
    } catch  where task.isCancelled {
      summary = nil
    }
    let total = start.elapsed
    let state = log.state
    return SyncTiming(
      summary: summary, total: total, pushWallSeconds: state.lastPush.map { ($0 - start.wall).seconds },
      pullProgress: state.pulls.map { (($0.at - start.wall).seconds, $0.count) }, peakWhilePulling: state.peakWhilePulling,
      pushSnapshot: state.pushSnapshot)
  }
}
