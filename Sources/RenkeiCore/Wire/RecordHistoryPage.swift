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

  /// The page of `history`, whose entries are computed here (see
  /// ``VersionHistory/entries(resolutionSites:)``); `deleted` is the record's state now.
  public init(history: VersionHistory, scope: Scope, deleted: Bool, complete: Bool, resolutionSites: Set<SiteID>) {
    self.init(
      recordID: history.recordID, kind: history.kind, scope: scope, deleted: deleted, complete: complete,
      entries: history.entries(resolutionSites: resolutionSites))
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
