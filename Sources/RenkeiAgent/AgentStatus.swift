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
  public var pendingChanges: Int
  public var openConflicts: Int

  enum CodingKeys: String, CodingKey {
    case site, scope, epoch, hub
    case lastSuccessfulSync = "last_successful_sync"
    case pendingChanges = "pending_changes"
    case openConflicts = "open_conflicts"
  }

  public static func read(_ directory: AgentDirectory, now: Date = Date()) throws -> AgentStatus {
    let configuration = try AgentConfiguration.load(from: directory)
    let replica = try AgentReplica.open(directory)
    return AgentStatus(
      site: replica.site, scope: replica.scope, epoch: replica.epoch, hub: configuration.hub.absoluteString,
      lastSuccessfulSync: configuration.lastSuccessfulSync, pendingChanges: try replica.pendingChangeCount(),
      openConflicts: try replica.openConflictCount())
  }

  /// The human form, with the last sync's age.
  public func lines(now: Date = Date()) -> [String] {
    var lastSync = "never"
    if let text = lastSuccessfulSync, let date = ISO8601DateFormatter().date(from: text) {
      lastSync = "\(text) (\(Self.age(now.timeIntervalSince(date))) ago)"
    }
    return [
      "site:          \(site) (scope \(scope), epoch \(epoch))",
      "hub:           \(hub)",
      "last sync:     \(lastSync)",
      "to push:       \(pendingChanges) change\(pendingChanges == 1 ? "" : "s")",
      "in conflict:   \(openConflicts) record\(openConflicts == 1 ? "" : "s")",
    ]
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
