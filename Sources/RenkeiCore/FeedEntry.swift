/// One record's current version as the hub serves it on pull: the whole state, so a
/// replica can adopt it whatever versions it missed in between.
public struct FeedEntry: Sendable, Hashable, Codable {
  /// The hub's feed position of this version; pull resumes after the last one applied.
  public var position: UInt64
  public var scope: Scope
  public var version: RecordVersion
  /// The open conflict the record is in, if any: every replica shows the same provisional
  /// version and marks it.
  public var conflict: ConflictSummary?

  public init(position: UInt64, scope: Scope, version: RecordVersion, conflict: ConflictSummary?) {
    self.position = position
    self.scope = scope
    self.version = version
    self.conflict = conflict
  }
}

/// What a replica is told about a record's open conflict.
public struct ConflictSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var conflicts: [FieldConflict]
  /// The sites whose versions collide.
  public var sites: [SiteID]

  public init(id: Int64, conflicts: [FieldConflict], sites: [SiteID]) {
    self.id = id
    self.conflicts = conflicts
    self.sites = sites
  }
}
