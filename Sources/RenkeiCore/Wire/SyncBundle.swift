/// What travels on a USB stick between an office on a closed network and the hub: the
/// changes a replica has not had acknowledged, or the hub's reply to them.
///
/// A push bundle carries the site's pending changes and the pull cursor it has reached; the
/// reply acknowledges the changes and carries every version after that cursor. Both are
/// idempotent to apply, so importing a bundle twice changes nothing.
public struct SyncBundle: Sendable, Hashable, Codable {
  public enum Direction: String, Sendable, Hashable, Codable {
    case push
    case reply
  }

  public static let format = "renkei-bundle/1"

  public var format: String
  public var direction: Direction
  public var site: SiteID
  /// When the bundle was written (ISO 8601), for people.
  public var createdAt: String
  /// A push: the pending changes, oldest first.
  public var changes: [Change]
  /// A push: the replica's pull cursor. A reply: where the replica's cursor moves.
  public var cursor: UInt64
  /// A reply: the last sequence of the pushing writer the hub holds.
  public var acknowledgedSequence: UInt64?
  /// A reply: the writer that sequence counts for.
  public var writer: WriterID?
  /// A reply: the versions after the push's cursor, in feed order.
  public var entries: [FeedEntry]

  enum CodingKeys: String, CodingKey {
    case format, direction, site, changes, cursor, writer, entries
    case createdAt = "created_at"
    case acknowledgedSequence = "acknowledged_sequence"
  }

  public init(
    direction: Direction, site: SiteID, createdAt: String, changes: [Change] = [], cursor: UInt64,
    acknowledgedSequence: UInt64? = nil, writer: WriterID? = nil, entries: [FeedEntry] = []
  ) {
    format = Self.format
    self.direction = direction
    self.site = site
    self.createdAt = createdAt
    self.changes = changes
    self.cursor = cursor
    self.acknowledgedSequence = acknowledgedSequence
    self.writer = writer
    self.entries = entries
  }
}
