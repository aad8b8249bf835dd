/// The three kinds of record Renkei keeps.
public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  case event
  case fundEntry = "fund-entry"
  case note

  public var description: String { rawValue }

  /// How each field of this kind merges when two sites edit it concurrently; the
  /// conflict-rule table of DESIGN.md, per field.
  public var fieldClasses: [String: FieldMergeClass] {
    switch self {
    case .event:
      return [
        "scope": .identity, "fiscal_year": .scalar, "kind": .scalar, "title": .scalar,
        "starts_on": .scalar, "ends_on": .scalar, "venue": .scalar, "co_hosts": .set,
        "audience": .scalar, "participants": .scalar, "status": .scalar, "notes": .text,
        "source": .scalar,
      ]
    case .fundEntry:
      return [
        "scope": .identity, "fiscal_year": .money, "programme": .money, "kind": .money,
        "amount": .money, "occurred_on": .scalar, "memo": .scalar, "corrects": .scalar,
      ]
    case .note:
      return [
        "scope": .identity, "fiscal_year": .scalar, "held_on": .scalar, "topic": .scalar,
        "attendees": .set, "body": .text, "follow_ups": .text, "status": .scalar,
      ]
    }
  }

  /// The field names of this kind, sorted: the order merges and displays walk them in.
  public var fieldNames: [String] { fieldClasses.keys.sorted() }
}

/// How a field merges when two sites changed it concurrently.
public enum FieldMergeClass: String, Sendable, Hashable, Codable {
  /// Fixed when the record is created (its scope): a change that alters it is refused.
  case identity
  /// Different new values conflict.
  case scalar
  /// Three-way set merge: union of additions, removal where removed.
  case set
  /// Three-way line merge; overlapping hunks conflict.
  case text
  /// Money is never last-writer-wins: concurrent edits that leave the sides disagreeing
  /// conflict, even when only one side touched the field.
  case money
}
