/// A scheduled or past gathering: a council, seminar, case-study meeting, hearing, visit….
public struct Event: Sendable, Hashable {
  public var id: RecordID
  public var scope: Scope
  public var fiscalYear: FiscalYear
  public var kind: EventKind
  public var title: String
  public var startsOn: RecordDate?
  public var endsOn: RecordDate?
  public var venue: String?
  /// Co-hosting bodies, a set kept sorted.
  public var coHosts: [String]
  public var audience: String?
  public var participants: Int64?
  public var status: EventStatus
  public var notes: String
  /// Where the record came from when it was imported (a source document's name).
  public var source: String?

  /// Builds and validates an event from its fields.
  public init(id: RecordID, fields: RecordFields) throws(RecordValidationError) {
    let reader = FieldReader(fields: fields)
    try reader.rejectUnknownFields(of: .event)
    self.id = id
    scope = try reader.scope()
    kind = try reader.choice("kind", EventKind.self)
    title = try reader.requiredText("title")
    startsOn = try reader.optionalDate("starts_on")
    endsOn = try reader.optionalDate("ends_on")
    if let endsOn {
      guard let startsOn else { throw RecordValidationError(field: "ends_on", reason: "is given but starts_on is not") }
      // Compare at the coarser precision: an event "2020-10" may end on "2020-10-02".
      let start = startsOn.precision == .month || endsOn.precision == .month ? startsOn.monthOnly : startsOn
      let end = startsOn.precision == .month || endsOn.precision == .month ? endsOn.monthOnly : endsOn
      guard start <= end else {
        throw RecordValidationError(field: "ends_on", reason: "\(endsOn.iso) is before starts_on \(startsOn.iso)")
      }
    }
    fiscalYear = try reader.fiscalYear(derivedFrom: startsOn, dateField: "starts_on")
    venue = try reader.optionalText("venue")
    coHosts = try reader.set("co_hosts")
    audience = try reader.optionalText("audience")
    participants = try reader.optionalInteger("participants")
    if let participants, !(0...1_000_000).contains(participants) {
      throw RecordValidationError(field: "participants", reason: "\(participants) is not a count from 0 to 1,000,000")
    }
    status = try reader.choice("status", EventStatus.self, default: .planned)
    notes = try reader.longText("notes")
    source = try reader.optionalText("source")
  }

  /// The event's fields in the schema-free form; absent values are `null`.
  public var fields: RecordFields {
    [
      "scope": .string(scope.rawValue), "fiscal_year": .integer(Int64(fiscalYear.startYear)),
      "kind": .string(kind.rawValue), "title": .text(title),
      "starts_on": startsOn.map { .string($0.iso) } ?? .null, "ends_on": endsOn.map { .string($0.iso) } ?? .null,
      "venue": venue.map(FieldValue.text) ?? .null, "co_hosts": .set(coHosts),
      "audience": audience.map(FieldValue.text) ?? .null, "participants": participants.map(FieldValue.integer) ?? .null,
      "status": .string(status.rawValue), "notes": .text(notes), "source": source.map(FieldValue.text) ?? .null,
    ]
  }
}
