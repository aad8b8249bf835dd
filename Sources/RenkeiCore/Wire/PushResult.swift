/// The hub's answer to a push: what it now holds durably from the pushing writer.
public struct PushResult: Sendable, Hashable, Codable {
  /// The last sequence of the writer the hub has stored; the agent may forget nothing
  /// before it has seen this.
  public var acknowledgedSequence: UInt64
  /// How many of the pushed changes were new (the rest were already stored).
  public var applied: Int
  /// Conflicts opened or joined by this push.
  public var conflicts: [Int64]

  enum CodingKeys: String, CodingKey {
    case acknowledgedSequence = "acknowledged_sequence"
    case applied, conflicts
  }

  public init(acknowledgedSequence: UInt64, applied: Int, conflicts: [Int64]) {
    self.acknowledgedSequence = acknowledgedSequence
    self.applied = applied
    self.conflicts = conflicts
  }
}
