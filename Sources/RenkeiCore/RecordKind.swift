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
    case .event: Self.eventFieldClasses
    case .fundEntry: Self.fundEntryFieldClasses
    case .note: Self.noteFieldClasses
    }
  }

  /// The field names of this kind, sorted: the order merges and displays walk them in.
  public var fieldNames: [String] {
    switch self {
    case .event: Self.eventFieldNames
    case .fundEntry: Self.fundEntryFieldNames
    case .note: Self.noteFieldNames
    }
  }

  // Built once: every change, merge and validation asks for them.
  private static let eventFieldClasses: [String: FieldMergeClass] = [
    "scope": .identity, "fiscal_year": .scalar, "kind": .scalar, "title": .scalar,
    "starts_on": .scalar, "ends_on": .scalar, "venue": .scalar, "co_hosts": .set,
    "audience": .scalar, "participants": .scalar, "status": .scalar, "notes": .text,
    "source": .scalar,
  ]
  private static let fundEntryFieldClasses: [String: FieldMergeClass] = [
    "scope": .identity, "fiscal_year": .money, "programme": .money, "kind": .money,
    "amount": .money, "occurred_on": .scalar, "memo": .scalar, "corrects": .scalar,
  ]
  private static let noteFieldClasses: [String: FieldMergeClass] = [
    "scope": .identity, "fiscal_year": .scalar, "held_on": .scalar, "topic": .scalar,
    "attendees": .set, "body": .text, "follow_ups": .text, "status": .scalar,
  ]
  private static let eventFieldNames = eventFieldClasses.keys.sorted()
  private static let fundEntryFieldNames = fundEntryFieldClasses.keys.sorted()
  private static let noteFieldNames = noteFieldClasses.keys.sorted()
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
