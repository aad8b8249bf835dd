import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// `renkei bundle export|import FILE`: sync by USB stick for offices on closed networks.
public enum BundleCommand: AgentCommand {
  public static let command = Command(
    "bundle", abstract: "Syncs through files, for offices whose network cannot reach the hub.",
    discussion: "Export writes the changes the hub has not acknowledged; take the file to the hub, where renkei-hub bundle import applies it and writes a reply; bring the reply back and import it here. Bundles are sealed with this site's token: an altered or foreign bundle is refused whole, and importing one twice changes nothing.",
    subcommands: [
      Command("export", abstract: "Writes this replica's unacknowledged changes to a bundle file.", parameters: [.argument("file", help: "The bundle to write.")]),
      Command("import", abstract: "Applies the hub's reply bundle.", parameters: [.argument("file", help: "The reply bundle.")]),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let path = arguments.string("file")!
    let replica = try AgentReplica.open(directory)
    let key = SyncBundleSeal.bundleKey(token: try AccessTokenFile.read(from: AccessTokenFile.path(in: directory)))
    if arguments.subcommandPath.last == "export" {
      let changes = try replica.pendingChanges(limit: Int.max)
      let bundle = SyncBundle(
        direction: .push, site: replica.site, createdAt: ISO8601DateFormatter().string(from: Date()), changes: changes,
        cursor: try replica.pullCursor)
      let sealed = try SyncBundleSeal.seal(bundle, key: key)
      do { try sealed.write(to: URL(fileURLWithPath: path), options: .atomic) } catch { throw FileWriteFailure.error(writing: path, error) }
      print("wrote \(changes.count) change\(changes.count == 1 ? "" : "s") to \(path); import it at the hub with: renkei-hub bundle import \(path)")
      return
    }
    guard let data = FileManager.default.contents(atPath: path) else { throw AgentError(.badInput, "cannot read \(path)") }
    let bundle: SyncBundle
    do throws(SyncBundleError) {
      let site = try SyncBundleSeal.claimedSite(of: data)
      guard site == replica.site else { throw SyncBundleError("the bundle is for site \(site), not this replica's \(replica.site)") }
      bundle = try SyncBundleSeal.open(data, key: key)
    } catch {
      throw AgentError(.badInput, "\(path) is refused, nothing of it applied: \(error.description)")
    }
    guard bundle.direction == .reply else {
      throw AgentError(.badInput, "\(path) is a push bundle: take it to the hub; here import the hub's reply")
    }
    // Like a sync, it writes the replica and agent.json: not while a sync runs.
    let lock = try SyncLock(directory: directory)
    defer { lock.release() }
    // An acknowledgement for an earlier epoch (the replica was restored since) is not ours.
    if let sequence = bundle.acknowledgedSequence, bundle.writer == replica.writer {
      try replica.acknowledge(through: sequence)
    }
    try replica.apply(bundle.entries, cursor: bundle.cursor)
    var configuration = try AgentConfiguration.load(from: directory)
    if configuration.noteBundleReply(createdAt: bundle.createdAt) { try configuration.save(to: directory) }
    let conflicts = try replica.openConflictCount()
    print("applied \(path): \(bundle.entries.count) version\(bundle.entries.count == 1 ? "" : "s") from the hub; \(try replica.pendingChangeCount()) changes still to send; \(conflicts) open conflict\(conflicts == 1 ? "" : "s")")
  }
}
