import RenkeiCore
import Testing

/// A ledger entry of 0 yen moves no money: a typing mistake, except where 0 says something.
@Suite struct FundEntryZeroAmountTests {
  func entry(_ kind: FundEntryKind, _ amount: Int64) throws -> FundEntry {
    var fields: RecordFields = [
      "scope": .string("11"), "programme": .text("地域支援事業交付金"), "kind": .string(kind.rawValue), "amount": .integer(amount),
      "occurred_on": .string("2023-10-02"), "fiscal_year": .integer(2023),
    ]
    if kind == .correction { fields["corrects"] = .string("5d0f1f0e-2c6b-4c59-8d8e-5b2b1c0e9f00") }
    return try FundEntry(id: RecordID("e1"), fields: fields)
  }

  @Test(arguments: [FundEntryKind.initialDecision, .amendedDecision, .deposit, .execution, .interest, .correction])
  func anEntryOfZeroYenThatWouldMoveMoneyIsRefusedNamingTheField(kind: FundEntryKind) throws {
    let zero = try entry(kind, 0)
    let error = #expect(throws: RecordValidationError.self) { try zero.checkMovesMoney() }
    #expect(error?.field == "amount")
    #expect(
      error?.reason
        == "0 yen is refused for kind \(kind.rawValue), as it moves no money: give a whole number of yen other than 0 (0 only for final-determination or balance-survey)"
    )
    // Any other amount, either sign, is the rule's business no more.
    try entry(kind, 1).checkMovesMoney()
    try entry(kind, -1).checkMovesMoney()
  }

  @Test(arguments: [FundEntryKind.finalDetermination, .balanceSurvey])
  func aFinalDeterminationOrABalanceSurveyMayBeZero(kind: FundEntryKind) throws {
    try entry(kind, 0).checkMovesMoney()
  }

  /// The rule is for new entries: one stored before it still reads, so it keeps counting.
  @Test func aStoredEntryOfZeroYenStillValidates() throws {
    let stored = try entry(.deposit, 0)
    #expect(stored.amount == 0)
    #expect(try Record(kind: .fundEntry, id: stored.id, fields: stored.fields) == .fundEntry(stored))
  }

  @Test func everyKindIsEitherRefusedAtZeroOrListedAsMayBeZero() {
    // A kind added later must be placed on one side on purpose: this names the current split.
    #expect(FundEntry.kindsThatMayBeZero == [.finalDetermination, .balanceSurvey])
    #expect(FundEntryKind.allCases.count == 8)
  }
}
