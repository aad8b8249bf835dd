import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The hub refuses the create of a fund entry of 0 yen, as the replica does, and nothing of
/// that push is stored; what it accepted before it still accepts.
@Suite struct HubFundZeroTests {
  func replica(_ site: String = "saitama", _ scope: String = "11") throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func entry(_ kind: String, _ amount: Int64) -> RecordFields {
    [
      "scope": .string("11"), "programme": .text("地域支援事業交付金"), "kind": .string(kind), "amount": .integer(amount),
      "occurred_on": .string("2023-10-02"),
    ]
  }

  @Test func theCreateOfAFundEntryOfZeroYenIsRefusedWholeAndNothingIsStored() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica()
    try saitama.create(
      .event, fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .text("研修"), "fiscal_year": .integer(2023)])
    try saitama.create(.fundEntry, fields: entry("deposit", 1000))
    var pending = try saitama.pendingChanges()
    // What an older agent, which let a 0 through, would send.
    pending[1].fields["amount"] = .integer(0)
    let error = #expect(throws: HubError.self) { try hub.push(pending, from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .invalidChange)
    #expect(
      error?.message
        == "change \(saitama.writer)#2 creates fund entry \(pending[1].recordID): amount: 0 yen is refused for kind deposit, as it moves no money: give a whole number of yen other than 0 (0 only for final-determination or balance-survey)"
    )
    #expect(try hub.allRecords().isEmpty, "the event before it in the push is not stored either")
    #expect(try hub.lastSequence(of: saitama.writer) == 0)

    // The same push with the amount the replica stored goes through.
    let accepted = try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    #expect(accepted.acknowledgedSequence == 2)
  }

  @Test(arguments: ["final-determination", "balance-survey"])
  func aFinalDeterminationOrBalanceSurveyOfZeroYenIsAccepted(kind: String) throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica()
    let created = try saitama.create(.fundEntry, fields: entry(kind, 0))
    #expect(try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope).acknowledgedSequence == 1)
    #expect(try hub.record(created.recordID)?.state["amount"] == .integer(0))
  }
}
