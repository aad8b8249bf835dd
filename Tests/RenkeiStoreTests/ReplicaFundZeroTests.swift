import RenkeiCore
import RenkeiStore
import Testing

/// A replica refuses a new ledger entry of 0 yen, writing nothing, except where 0 says something.
@Suite struct ReplicaFundZeroTests {
  func entry(_ kind: String, _ amount: Int64) -> RecordFields {
    [
      "scope": .string("11"), "programme": .text("地域医療介護総合確保基金 介護従事者確保分"), "kind": .string(kind),
      "amount": .integer(amount), "occurred_on": .string("2023-10-02"),
    ]
  }

  @Test func aDepositOfZeroYenIsRefusedAndNothingIsWritten() throws {
    let replica = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
    let error = #expect(throws: ReplicaError.self) { try replica.create(.fundEntry, fields: entry("deposit", 0)) }
    #expect(error?.code == .invalidRecord)
    #expect(
      error?.message
        == "amount: 0 yen is refused for kind deposit, as it moves no money: give a whole number of yen other than 0 (0 only for final-determination or balance-survey)"
    )
    #expect(try replica.records().isEmpty)
    #expect(try replica.pendingChanges().isEmpty)
    #expect(try replica.pendingChangeCount() == 0)

    // The next entry takes sequence 1: the refusal used no number.
    let deposit = try replica.create(.fundEntry, fields: entry("deposit", 1))
    #expect(deposit.sequence == 1)
    let survey = try replica.create(.fundEntry, fields: entry("balance-survey", 0))
    #expect(survey.fields["amount"] == .integer(0))
    #expect(try replica.records(kind: .fundEntry).count == 2)
  }
}
