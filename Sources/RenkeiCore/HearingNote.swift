/// Notes of a hearing with a prefecture: who attended, what was said, what follows up.
public struct HearingNote: Sendable, Hashable {
  public var id: RecordID
  public var scope: Scope
  public var fiscalYear: FiscalYear
  public var heldOn: RecordDate?
  public var topic: String
  /// Attendees, a set kept sorted.
  public var attendees: [String]
  public var body: String
  public var followUps: String
  public var status: NoteStatus

  /// Builds and validates a hearing note from its fields.
  public init(id: RecordID, fields: RecordFields) throws(RecordValidationError) {
    let reader = FieldReader(fields: fields)
    try reader.rejectUnknownFields(of: .note)
    self.id = id
    scope = try reader.scope()
    heldOn = try reader.optionalDate("held_on")
    fiscalYear = try reader.fiscalYear(derivedFrom: heldOn, dateField: "held_on")
    topic = try reader.requiredText("topic")
    attendees = try reader.set("attendees")
    body = try reader.longText("body")
    followUps = try reader.longText("follow_ups")
    status = try reader.choice("status", NoteStatus.self, default: .draft)
  }

  public var fields: RecordFields {
    [
      "scope": .string(scope.rawValue), "fiscal_year": .integer(Int64(fiscalYear.startYear)),
      "held_on": heldOn.map { .string($0.iso) } ?? .null, "topic": .text(topic), "attendees": .set(attendees),
      "body": .text(body), "follow_ups": .text(followUps), "status": .string(status.rawValue),
    ]
  }
}
