/// Which rule of DESIGN.md's conflict table could not settle a collision.
public enum ConflictRule: String, Sendable, Hashable, Codable, CaseIterable {
  /// A scalar field was set to different values on different sides.
  case differentValues = "different-values"
  /// A text field was changed on the same lines on different sides.
  case overlappingText = "overlapping-text"
  /// A money field (amount, programme, kind, fiscal year) of an existing fund entry was
  /// edited concurrently: money is never last-writer-wins.
  case money
  /// One side deleted the record while another edited it.
  case editDelete = "edit-delete"
  /// The record belongs to a fiscal year whose final determination is recorded.
  case closedYear = "closed-year"
  /// Two fund entries from different sites look like the same transaction.
  case possibleDuplicate = "possible-duplicate"
}
