import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The replica refuses a new fund entry of 0 yen; the hub does not re-check it: a push from
/// an agent older than the rule would otherwise be refused every night, and every change after
/// it with it. A 0-yen entry moves no money either way.
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

  @Test func aZeroYenEntryFromAnOlderAgentIsMergedSoItsSiteIsNeverStuck() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica()
    try saitama.create(.fundEntry, fields: entry("deposit", 1000))
    try saitama.create(
      .event, fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .text("研修"), "fiscal_year": .integer(2023)])
    var pending = try saitama.pendingChanges()
    // What an older agent, which let a 0 through, would send, with an edit after it.
    pending[0].fields["amount"] = .integer(0)
    let result = try hub.push(pending, from: saitama.site, scope: saitama.scope)
    #expect(result.acknowledgedSequence == 2 && result.applied == 2)
    #expect(try hub.record(pending[0].recordID)?.state["amount"] == .integer(0))
    #expect(try hub.openConflicts().isEmpty)
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
