/// One edit of a record as people read its history: who wrote it and when (its stamp), and
/// which fields it changed from the version it was written on.
public struct RecordHistoryEntry: Sendable, Hashable, Codable {
  public var stamp: VersionStamp
  public var vector: VersionVector
  /// `create`, `update`, `delete` (also a decision that deletes), or `resolve` for an
  /// administrator's decision that keeps the record.
  public var operation: ChangeOperation
  /// The fields whose values differ from the version the edit was written on, sorted; for a
  /// create, the fields it set to a value (not null, not empty). Nil when that version is no
  /// longer known (compaction dropped the history before a deletion).
  public var fields: [String]?

  enum CodingKeys: String, CodingKey {
    case stamp, vector, fields
    case operation = "op"
  }

  public init(stamp: VersionStamp, vector: VersionVector, operation: ChangeOperation, fields: [String]?) {
    self.stamp = stamp
    self.vector = vector
    self.operation = operation
    self.fields = fields
  }
}
