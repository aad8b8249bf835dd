import RenkeiCore

/// A record as a replica holds it: its current version and whether it is in conflict.
public struct StoredRecord: Sendable, Hashable {
  public var version: RecordVersion
  public var scope: Scope
  /// The hub's open conflict on this record, as last pulled.
  public var conflict: ConflictSummary?
  /// True while the replica holds local edits the hub has not yet merged.
  public var hasLocalEdits: Bool
  /// The last administrator's resolution of a conflict on this record, as pulled.
  public var resolution: ResolutionNote?

  public init(version: RecordVersion, scope: Scope, conflict: ConflictSummary?, hasLocalEdits: Bool, resolution: ResolutionNote? = nil) {
    self.version = version
    self.scope = scope
    self.conflict = conflict
    self.hasLocalEdits = hasLocalEdits
    self.resolution = resolution
  }

  public var id: RecordID { version.recordID }
  public var kind: RecordKind { version.kind }
  public var state: RecordState { version.state }

  /// The validated record, nil for a tombstone.
  public var record: Record? {
    guard !state.deleted else { return nil }
    return try? Record(kind: kind, id: id, fields: state.fields)
  }
}
