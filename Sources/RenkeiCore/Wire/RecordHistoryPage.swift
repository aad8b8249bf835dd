/// The answer of `GET /v1/records/{id}/history`: every edit of one record the hub holds,
/// oldest first.
public struct RecordHistoryPage: Sendable, Hashable, Codable {
  public var recordID: RecordID
  public var kind: RecordKind
  public var scope: Scope
  /// Whether the record is deleted now.
  public var deleted: Bool
  /// False when compaction dropped the versions before a deletion, so the oldest edits are
  /// no longer listed.
  public var complete: Bool
  public var entries: [RecordHistoryEntry]

  enum CodingKeys: String, CodingKey {
    case kind, scope, deleted, complete, entries
    case recordID = "record_id"
  }

  public init(recordID: RecordID, kind: RecordKind, scope: Scope, deleted: Bool, complete: Bool, entries: [RecordHistoryEntry]) {
    self.recordID = recordID
    self.kind = kind
    self.scope = scope
    self.deleted = deleted
    self.complete = complete
    self.entries = entries
  }
}
