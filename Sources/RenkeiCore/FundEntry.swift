/// One line of a fund ledger, in whole yen. Entries are never edited in place: a mistake
/// is corrected by a new `correction` entry, so entries made concurrently by two offices
/// both count and a balance is always the plain sum of its entries.
public struct FundEntry: Sendable, Hashable {
  public var id: RecordID
  public var scope: Scope
  public var fiscalYear: FiscalYear
  public var programme: String
  public var kind: FundEntryKind
  /// Whole yen, signed: executions and negative corrections reduce a balance.
  public var amount: Int64
  public var occurredOn: RecordDate?
  public var memo: String?
  /// The entry a correction corrects.
  public var corrects: RecordID?

  /// Builds and validates a fund entry from its fields.
  ///
  /// The fiscal year is the year the money concerns, which a settlement can follow by a
  /// year or two (FY2019's final determination was made on 2021-01-06), so it is checked to
  /// lie within a year before and two years after the fiscal year of `occurred_on`.
  public init(id: RecordID, fields: RecordFields) throws(RecordValidationError) {
    let reader = FieldReader(fields: fields)
    try reader.rejectUnknownFields(of: .fundEntry)
    self.id = id
    scope = try reader.scope()
    programme = try reader.requiredText("programme")
    kind = try reader.choice("kind", FundEntryKind.self)
    amount = try reader.requiredInteger("amount")
    // A trillion yen is beyond any prefecture fund; a larger figure is a typing mistake.
    guard abs(amount) <= 1_000_000_000_000 else {
      throw RecordValidationError(field: "amount", reason: "\(amount) yen is beyond ±1,000,000,000,000")
    }
    occurredOn = try reader.optionalDate("occurred_on")
    if let given = try reader.optionalInteger("fiscal_year") {
      guard (1900...2199).contains(given) else {
        throw RecordValidationError(field: "fiscal_year", reason: "\(given) is out of range 1900–2199")
      }
      fiscalYear = FiscalYear(Int(given))
      if let occurredOn {
        let dated = occurredOn.fiscalYear.startYear
        guard (fiscalYear.startYear - 1...fiscalYear.startYear + 2).contains(dated) else {
          throw RecordValidationError(
            field: "fiscal_year",
            reason: "\(fiscalYear.bothNames) is too far from occurred_on \(occurredOn.iso) (\(occurredOn.fiscalYear.bothNames))")
        }
      }
    } else if let occurredOn {
      fiscalYear = occurredOn.fiscalYear
    } else {
      throw RecordValidationError(field: "fiscal_year", reason: "is required when occurred_on is absent")
    }
    memo = try reader.optionalText("memo", maxLength: 2000)
    if let raw = try reader.optionalText("corrects") {
      do { corrects = try RecordID(raw) } catch { throw RecordValidationError(field: "corrects", reason: error.reason) }
    } else {
      corrects = nil
    }
    if kind == .correction, corrects == nil {
      throw RecordValidationError(field: "corrects", reason: "a correction must name the entry it corrects")
    }
    if kind != .correction, corrects != nil {
      throw RecordValidationError(field: "corrects", reason: "only a correction entry corrects another entry")
    }
  }

  /// The kinds whose entry may be of 0 yen: a final determination of 0 confirms the decided
  /// amount (and closes the year), and a balance survey of 0 reports a fund that is empty.
  /// Every other kind records money moving, so 0 yen is a typing mistake.
  public static let kindsThatMayBeZero: Set<FundEntryKind> = [.finalDetermination, .balanceSurvey]

  /// Refuses a new entry that moves no money: a deposit, execution, decision, interest or
  /// correction of 0 yen.
  ///
  /// Checked when an entry is created — by the replica that writes it and by the hub that
  /// merges it — not each time an entry is read: an entry stored before the rule keeps
  /// counting and can still be resolved or have its memo edited.
  public func checkMovesMoney() throws(RecordValidationError) {
    guard amount == 0, !Self.kindsThatMayBeZero.contains(kind) else { return }
    let allowed = FundEntryKind.allCases.filter { Self.kindsThatMayBeZero.contains($0) }.map(\.rawValue)
    throw RecordValidationError(
      field: "amount",
      reason:
        "0 yen is refused for kind \(kind.rawValue), as it moves no money: give a whole number of yen other than 0 (0 only for \(allowed.joined(separator: " or ")))"
    )
  }

  public var fields: RecordFields {
    [
      "scope": .string(scope.rawValue), "fiscal_year": .integer(Int64(fiscalYear.startYear)),
      "programme": .text(programme), "kind": .string(kind.rawValue), "amount": .integer(amount),
      "occurred_on": occurredOn.map { .string($0.iso) } ?? .null, "memo": memo.map(FieldValue.text) ?? .null,
      "corrects": corrects.map { .string($0.rawValue) } ?? .null,
    ]
  }
}
