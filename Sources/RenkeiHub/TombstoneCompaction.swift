import RenkeiCore

/// What one compaction of tombstones dropped.
public struct TombstoneCompaction: Sendable, Hashable, Encodable {
  /// Deleted records compacted: each keeps its id, kind, scope, vector and deleted mark.
  public var records = 0
  /// Versions of their history dropped (the tombstone itself is kept).
  public var versionsDropped = 0
  /// Changes whose content was replaced by its SHA-256.
  public var changeBodiesDropped = 0
  /// Pull-feed entries of records that have since moved on to a later position (of any
  /// record, deleted or not): pulls skip them, and dropping them keeps long pulls short.
  public var feedEntriesDropped = 0
  /// Deleted records old enough that were kept whole: a site that may read them has not
  /// been sent their tombstone yet.
  public var heldBack = 0
  /// The sites those records wait for, by name.
  public var waitingFor: [SiteID] = []

  public init() {}

  enum CodingKeys: String, CodingKey {
    case records
    case versionsDropped = "versions_dropped"
    case changeBodiesDropped = "change_bodies_dropped"
    case feedEntriesDropped = "feed_entries_dropped"
    case heldBack = "held_back"
    case waitingFor = "waiting_for"
  }
}
