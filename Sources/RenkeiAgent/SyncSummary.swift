/// What one `renkei sync` did, printed as one line or as JSON.
public struct SyncSummary: Sendable, Hashable, Codable {
  public var hub: String
  /// Changes sent that the hub had not stored before.
  public var pushed: Int
  /// Record versions received and applied.
  public var pulled: Int
  /// Records of this replica now in an open conflict.
  public var openConflicts: Int
  /// Set when this sync moved the replica to a new epoch (it had been restored from a copy).
  public var newEpoch: UInt32?

  enum CodingKeys: String, CodingKey {
    case hub, pushed, pulled
    case openConflicts = "open_conflicts"
    case newEpoch = "new_epoch"
  }

  public var line: String {
    var text = "synced with \(hub): pushed \(pushed), pulled \(pulled), \(openConflicts) open conflict\(openConflicts == 1 ? "" : "s")"
    if let newEpoch { text += " (restored replica: now writing as epoch \(newEpoch))" }
    return text
  }
}
