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
  /// Set when this version is an administrator's resolution of a conflict.
  public var resolution: ResolutionNote?

  public init(position: UInt64, scope: Scope, version: RecordVersion, conflict: ConflictSummary?, resolution: ResolutionNote? = nil) {
    self.position = position
    self.scope = scope
    self.version = version
    self.conflict = conflict
    self.resolution = resolution
  }
}

/// What a replica is told about a record's open conflict: enough for staff to see what
/// each side holds, while the full versions stay in the hub's queue.
public struct ConflictSummary: Sendable, Hashable, Codable {
  public var id: Int64
  public var conflicts: [FieldConflict]
  /// The sites whose versions collide.
  public var sites: [SiteID]
  /// Each side's values of the colliding fields, in canonical order.
  public var sides: [ConflictSide]

  public init(id: Int64, conflicts: [FieldConflict], sites: [SiteID], sides: [ConflictSide] = []) {
    self.id = id
    self.conflicts = conflicts
    self.sites = sites
    self.sides = sides
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(Int64.self, forKey: .id)
    conflicts = try container.decode([FieldConflict].self, forKey: .conflicts)
    sites = try container.decode([SiteID].self, forKey: .sites)
    sides = try container.decodeIfPresent([ConflictSide].self, forKey: .sides) ?? []
  }
}

/// One side of a conflict as a replica sees it: who wrote it, when, and its values of the
/// colliding fields.
public struct ConflictSide: Sendable, Hashable, Codable {
  public var writer: WriterID
  public var author: String
  public var timestamp: HybridTimestamp
  public var deleted: Bool
  public var values: RecordFields

  public init(writer: WriterID, author: String, timestamp: HybridTimestamp, deleted: Bool, values: RecordFields) {
    self.writer = writer
    self.author = author
    self.timestamp = timestamp
    self.deleted = deleted
    self.values = values
  }

  /// The side `version` makes, showing only `fields`.
  public init(_ version: RecordVersion, fields: [String]) {
    self.init(
      writer: version.stamp.writer, author: version.stamp.author, timestamp: version.stamp.timestamp,
      deleted: version.state.deleted, values: Dictionary(uniqueKeysWithValues: fields.map { ($0, version.state[$0]) }))
  }
}
