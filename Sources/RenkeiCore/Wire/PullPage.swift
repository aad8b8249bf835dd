/// One page of the hub's feed, in feed order.
public struct PullPage: Sendable, Hashable, Codable {
  public var entries: [FeedEntry]
  /// The position to pull after next time; unchanged when the page is empty.
  public var cursor: UInt64
  /// True when more entries wait after this page.
  public var hasMore: Bool

  enum CodingKeys: String, CodingKey {
    case entries, cursor
    case hasMore = "has_more"
  }

  public init(entries: [FeedEntry], cursor: UInt64, hasMore: Bool) {
    self.entries = entries
    self.cursor = cursor
    self.hasMore = hasMore
  }
}
