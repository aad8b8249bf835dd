import RenkeiCore
import RenkeiStore

/// One row of a pull page as the hub stores it: the record's state, vector, stamp and
/// resolution are already canonical JSON, so a page can be written for the wire by
/// splicing them instead of decoding every record and encoding it again — which cost
/// most of the hub's time when a new replica pulls a large history.
struct FeedRow {
  var kind: String
  var id: String
  var scope: String
  var fields: String
  var deleted: Bool
  var vector: String
  var stamp: String
  var position: Int64
  var conflictID: Int64?
  var conflictFields: String?
  var conflictSides: String?
  var resolution: String?

  init(_ row: Row) throws {
    kind = try row.string(0)
    id = try row.string(1)
    scope = try row.string(2)
    fields = try row.string(3)
    deleted = try row.int64(4) != 0
    vector = try row.string(5)
    stamp = try row.string(6)
    position = try row.int64(7)
    conflictID = try row.optionalInt64(8)
    conflictFields = try row.optionalString(9)
    conflictSides = try row.optionalString(10)
    resolution = try row.optionalString(11)
  }

  /// The row decoded, as ``Hub/pull(for:after:limit:)`` returns it.
  func entry() throws -> FeedEntry {
    let version = try Hub.version(kind: kind, id: id, state: fields, deleted: deleted ? 1 : 0, vector: vector, stamp: stamp)
    return FeedEntry(
      position: UInt64(position), scope: try Scope(scope), version: version, conflict: try conflict(),
      resolution: try resolution.map { try CanonicalJSON.decode(ResolutionNote.self, from: $0) })
  }

  /// The open conflict's summary, with each side's values of the fields in conflict.
  func conflict() throws -> ConflictSummary? {
    guard let conflictID, let conflictFields, let conflictSides else { return nil }
    let sides = try CanonicalJSON.decode([RecordVersion].self, from: conflictSides)
    let fields = try CanonicalJSON.decode([FieldConflict].self, from: conflictFields)
    let names = Array(Set(fields.map(\.field))).sorted()
    return ConflictSummary(
      id: conflictID, conflicts: fields, sites: Array(Set(sides.map(\.stamp.writer.site))).sorted(),
      sides: sides.map { ConflictSide($0, fields: names) })
  }

  /// Writes the entry as the JSON a ``FeedEntry`` encodes to, keys sorted; the stored
  /// fragments go in as they are. Conflicts are rare and encoded the usual way.
  func writeJSON(to json: inout CanonicalJSONWriter) throws {
    json.beginObject()
    if let summary = try conflict() {
      json.key("conflict")
      json.fragment(try CanonicalJSON.encode(summary))
    }
    json.key("position")
    json.integer(position)
    if let resolution {
      json.key("resolution")
      json.fragment(resolution)
    }
    json.key("scope")
    json.string(scope)
    json.key("version")
    json.beginObject()
    json.key("kind")
    json.string(kind)
    json.key("recordID")
    json.string(id)
    json.key("stamp")
    json.fragment(stamp)
    json.key("state")
    json.beginObject()
    json.key("deleted")
    json.bool(deleted)
    json.key("fields")
    json.fragment(fields)
    json.endObject()
    json.key("vector")
    json.fragment(vector)
    json.endObject()
    json.endObject()
  }
}
