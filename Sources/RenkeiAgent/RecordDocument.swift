import Foundation
import RenkeiCore
import RenkeiStore

/// A record as `--json` prints it: Protocol/schemas/record-version.schema.json.
public struct RecordDocument: Sendable, Hashable, Encodable {
  public var id: RecordID
  public var kind: RecordKind
  public var scope: Scope
  public var fields: RecordFields
  public var vector: VersionVector
  public var deleted: Bool
  public var stamp: VersionStamp
  public var conflict: ConflictSummary?
  public var localEdits: Bool
  public var resolution: ResolutionNote?

  enum CodingKeys: String, CodingKey {
    case id, kind, scope, fields, vector, deleted, stamp, conflict, resolution
    case localEdits = "local_edits"
  }

  public init(_ stored: StoredRecord) {
    id = stored.id
    kind = stored.kind
    scope = stored.scope
    fields = stored.state.fields
    vector = stored.version.vector
    deleted = stored.state.deleted
    stamp = stored.version.stamp
    conflict = stored.conflict
    localEdits = stored.hasLocalEdits
    resolution = stored.resolution
  }

  /// Pretty JSON with sorted keys, the same bytes for the same record.
  public static func json(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
