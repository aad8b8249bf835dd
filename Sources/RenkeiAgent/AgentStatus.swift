import Foundation
import RenkeiCore
import RenkeiStore

/// What `renkei status` shows: who this replica is, its hub, its last sync and what waits.
public struct AgentStatus: Sendable, Hashable, Encodable {
  public var site: SiteID
  public var scope: Scope
  public var epoch: UInt32
  public var hub: String
  public var lastSuccessfulSync: String?
  /// When the hub wrote the last reply bundle imported here; nil when none was.
  public var lastBundleReply: String?
  public var pendingChanges: Int
  public var openConflicts: Int

  enum CodingKeys: String, CodingKey {
    case site, scope, epoch, hub
    case lastSuccessfulSync = "last_successful_sync"
    case lastBundleReply = "last_bundle_reply"
    case pendingChanges = "pending_changes"
    case openConflicts = "open_conflicts"
  }

  public static func read(_ directory: AgentDirectory, now: Date = Date()) throws -> AgentStatus {
    let configuration = try AgentConfiguration.load(from: directory)
    let replica = try AgentReplica.open(directory)
    return AgentStatus(
      site: replica.site, scope: replica.scope, epoch: replica.epoch, hub: configuration.hub.absoluteString,
      lastSuccessfulSync: configuration.lastSuccessfulSync, lastBundleReply: configuration.lastBundleReply,
      pendingChanges: try replica.pendingChangeCount(),
      openConflicts: try replica.openConflictCount())
  }

  /// The human form, with the last sync's age.
  public func lines(now: Date = Date()) -> [String] {
    func dated(_ text: String?) -> String? {
      guard let text, let date = ISO8601DateFormatter().date(from: text) else { return nil }
      return "\(text) (\(Self.age(now.timeIntervalSince(date))) ago)"
    }
    var lines = [
      "site:          \(site) (scope \(scope), epoch \(epoch))",
      "hub:           \(hub)",
      "last sync:     \(dated(lastSuccessfulSync) ?? "never")",
    ]
    // An office on a closed network syncs by bundle: its copy is as recent as the hub's last reply.
    if let reply = dated(lastBundleReply) { lines.append("last bundle:   the hub's reply of \(reply), imported") }
    lines += [
      "to push:       \(pendingChanges) change\(pendingChanges == 1 ? "" : "s")",
      "in conflict:   \(openConflicts) record\(openConflicts == 1 ? "" : "s")",
    ]
    return lines
  }

  public var lines: [String] { lines() }

  static func age(_ seconds: TimeInterval) -> String {
    let whole = max(0, Int(seconds))
    if whole < 120 { return "\(whole) s" }
    if whole < 7200 { return "\(whole / 60) min" }
    if whole < 172_800 { return "\(whole / 3600) h" }
    return "\(whole / 86_400) days"
  }
}
