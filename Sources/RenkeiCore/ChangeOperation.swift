/// What a change does to its record.
public enum ChangeOperation: String, Sendable, Hashable, Codable, CaseIterable {
  /// Makes the record; `fields` holds every field.
  case create
  /// Writes the fields in `fields`; the others keep their values.
  case update
  /// Leaves a tombstone: the record is gone but its version history is kept.
  case delete
  /// An administrator's decision on a conflict: `fields` is the whole new state, and the
  /// vector includes every side. Only the hub writes it, and it may follow a tombstone
  /// (the administrator kept the edited record against a delete).
  case resolve
}
