import Foundation
import RenkeiAgent
import RenkeiCore

/// The sync workload's hub directory and its two agents: 埼玉県's, which pushes, and
/// 関東信越厚生局's, which pulls. The local-edit workload writes into the pushing agent's
/// replica, so the sync pushes exactly those writes.
final class SyncFixture {
  static let pushingSite = BenchSite.prefecture("11")
  static let pullingSite = BenchSite.bureau("kanto-shinetsu")

  let hubDirectory: String
  let pusher: AgentDirectory
  let puller: AgentDirectory
  /// How many writes wait in the pusher's replica; set by whoever wrote them.
  var pendingWrites = 0

  private init(hubDirectory: String, pusher: AgentDirectory, puller: AgentDirectory) {
    self.hubDirectory = hubDirectory
    self.pusher = pusher
    self.puller = puller
  }

  static func create(in scratch: ScratchDirectory) async throws -> SyncFixture {
    let hubDirectory = try scratch.path("sync/hub", directory: true)
    let tokens = try BenchAgent.registerSites([(pushingSite, .prefecture), (pullingSite, .bureau)], inHub: hubDirectory)
    return SyncFixture(
      hubDirectory: hubDirectory,
      pusher: try await BenchAgent.initialise(at: scratch.path + "/sync/agent-pusher", site: pushingSite, token: tokens[pushingSite.id]!),
      puller: try await BenchAgent.initialise(at: scratch.path + "/sync/agent-puller", site: pullingSite, token: tokens[pullingSite.id]!))
  }
}
