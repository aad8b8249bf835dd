import RenkeiCore
import RenkeiStore

/// A conflict in the hub's queue: the record, its base, every side, and what collides.
public struct HubConflict: Sendable, Hashable, Encodable {
  public var id: Int64
  public var recordID: RecordID
  public var kind: RecordKind
  public var scope: Scope
  public var fields: [FieldConflict]
  public var base: RecordFields?
  public var sides: [RecordVersion]
  /// Other records involved: a possible duplicate's twin, a closing determination.
  public var related: [RecordID]
  /// Bumped every time a side joins or changes, so a resolution can name what it saw.
  public var revision: Int64
  public var openedAt: String
  /// `open` or `resolved`.
  public var status: String
  /// How it was resolved, once it is.
  public var resolution: ResolutionNote?

  enum CodingKeys: String, CodingKey {
    case id, kind, scope, fields, base, sides, related, revision, status, resolution
    case recordID = "record_id"
    case openedAt = "opened_at"
  }

  init(row: Row) throws {
    id = try row.int64(0)
    recordID = try RecordID(try row.string(1))
    kind = try RecordKind(rawValue: try row.string(2)).unwrapped()
    scope = try Scope(try row.string(3))
    fields = try CanonicalJSON.decode([FieldConflict].self, from: try row.string(4))
    base = try row.optionalString(5).map { try CanonicalJSON.decode(RecordState.self, from: $0).fields }
    sides = try CanonicalJSON.decode([RecordVersion].self, from: try row.string(6))
    related = try row.optionalString(7).map { try CanonicalJSON.decode([RecordID].self, from: $0) } ?? []
    revision = try row.int64(8)
    openedAt = try row.string(9)
    status = try row.string(10)
    resolution = try row.optionalString(11).map { try CanonicalJSON.decode(ResolutionNote.self, from: $0) }
  }
}
