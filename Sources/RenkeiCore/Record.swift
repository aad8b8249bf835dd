/// A validated record of any kind.
public enum Record: Sendable, Hashable {
  case event(Event)
  case fundEntry(FundEntry)
  case note(HearingNote)

  /// Validates `fields` as a record of `kind`, normalising them (NFC text, sorted sets,
  /// derived fiscal year).
  public init(kind: RecordKind, id: RecordID, fields: RecordFields) throws(RecordValidationError) {
    switch kind {
    case .event: self = .event(try Event(id: id, fields: fields))
    case .fundEntry: self = .fundEntry(try FundEntry(id: id, fields: fields))
    case .note: self = .note(try HearingNote(id: id, fields: fields))
    }
  }

  public var kind: RecordKind {
    switch self {
    case .event: return .event
    case .fundEntry: return .fundEntry
    case .note: return .note
    }
  }

  public var id: RecordID {
    switch self {
    case .event(let event): return event.id
    case .fundEntry(let entry): return entry.id
    case .note(let note): return note.id
    }
  }

  public var scope: Scope {
    switch self {
    case .event(let event): return event.scope
    case .fundEntry(let entry): return entry.scope
    case .note(let note): return note.scope
    }
  }

  public var fiscalYear: FiscalYear {
    switch self {
    case .event(let event): return event.fiscalYear
    case .fundEntry(let entry): return entry.fiscalYear
    case .note(let note): return note.fiscalYear
    }
  }

  /// Every field of the record, absent ones as `null`.
  public var fields: RecordFields {
    switch self {
    case .event(let event): return event.fields
    case .fundEntry(let entry): return entry.fields
    case .note(let note): return note.fields
    }
  }
}
