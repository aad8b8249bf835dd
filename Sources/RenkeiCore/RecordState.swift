/// What a record holds at one version: its fields, or a tombstone.
public struct RecordState: Sendable, Hashable, Codable {
  /// Every field of the record. A tombstone keeps the fields it had when deleted, so an
  /// edit-against-delete conflict can show what was deleted.
  public var fields: RecordFields
  public var deleted: Bool

  public init(fields: RecordFields, deleted: Bool = false) {
    self.fields = fields
    self.deleted = deleted
  }

  /// A field's value, `null` when absent.
  public subscript(field: String) -> FieldValue { fields[field] ?? .null }

  /// The fields whose values differ from `other`'s.
  public func changedFields(from other: RecordState?) -> [String] {
    let names = Set(fields.keys).union(other?.fields.keys ?? [:].keys)
    return names.filter { self[$0] != (other?[$0] ?? .null) }.sorted()
  }
}
