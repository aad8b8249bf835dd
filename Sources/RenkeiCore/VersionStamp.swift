/// Who wrote a version and when, for display and for the deterministic provisional winner.
public struct VersionStamp: Sendable, Hashable, Codable, Comparable {
  public var writer: WriterID
  public var author: String
  public var timestamp: HybridTimestamp

  public init(writer: WriterID, author: String, timestamp: HybridTimestamp) {
    self.writer = writer
    self.author = author
    self.timestamp = timestamp
  }

  /// Orders by timestamp, then writer, then author: the later stamp wins a provisional tie.
  public static func < (lhs: VersionStamp, rhs: VersionStamp) -> Bool {
    (lhs.timestamp, lhs.writer, lhs.author) < (rhs.timestamp, rhs.writer, rhs.author)
  }
}
