/// What a change does to its record.
public enum ChangeOperation: String, Sendable, Hashable, Codable, CaseIterable {
  /// Makes the record; `fields` holds every field.
  case create
  /// Writes the fields in `fields`; the others keep their values.
  case update
  /// Leaves a tombstone: the record is gone but its version history is kept.
  case delete
}
