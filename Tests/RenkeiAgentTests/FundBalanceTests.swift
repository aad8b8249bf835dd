import Foundation
import RenkeiCore
import Testing

@testable import RenkeiAgent

@Suite struct FundBalanceTests {
  static let care = "地域医療介護総合確保基金 介護従事者確保分"
  static let support = "地域支援事業交付金"

  func entry(
    _ id: String, _ kind: FundEntryKind, _ amount: Int64, on date: String? = nil, year: Int64? = nil,
    programme: String = care, scope: String = "11", corrects: String? = nil, memo: String? = nil
  ) throws -> FundEntry {
    var fields: RecordFields = [
      "scope": .string(scope), "programme": .text(programme), "kind": .string(kind.rawValue), "amount": .integer(amount),
    ]
    if let date { fields["occurred_on"] = .string(date) }
    if let year { fields["fiscal_year"] = .integer(year) }
    if let corrects { fields["corrects"] = .string(corrects) }
    if let memo { fields["memo"] = .text(memo) }
    return try FundEntry(id: RecordID(id), fields: fields)
  }

  /// FY2023 of one programme: decisions, deposits, interest, executions, a survey, and
  /// corrections of an execution (one correcting the other) and of a decision made in the
  /// next fiscal year.
  func ledger() throws -> [FundEntry] {
    [
      try entry("d1", .initialDecision, 12_000_000, on: "2023-06-01", memo: "当初交付決定"),
      try entry("d2", .amendedDecision, 2_000_000, on: "2023-12-01", memo: "変更交付決定"),
      try entry("x1", .execution, 3_000_000, on: "2023-09-01"),
      try entry("x2", .execution, 1_000_000, on: "2023-10-01"),
      try entry("c1", .correction, -500_000, on: "2023-09-15", corrects: "x1", memo: "入力誤り"),
      try entry("c2", .correction, 100_000, on: "2023-09-20", corrects: "c1", memo: "訂正の訂正"),
      try entry("dep", .deposit, 5_000_000, on: "2023-07-01"),
      try entry("int", .interest, 1_234, on: "2024-03-31"),
      try entry("s1", .balanceSurvey, 14_000_000, on: "2024-03-31"),
      try entry("c3", .correction, -1_000_000, on: "2024-05-01", year: 2024, corrects: "d1"),
      try entry("other", .initialDecision, 1_000_000, on: "2023-08-01", programme: Self.support),
      try entry("old", .initialDecision, 7_000_000, on: "2022-08-01"),
    ]
  }

  @Test func correctionsCountAgainstTheEntryTheyCorrect() throws {
    let balances = FundBalance.compute(try ledger(), fiscalYear: FiscalYear(2023))
    // Ordered by programme name in code-point order: 医 (U+533B) before 支 (U+652F).
    #expect(balances.map(\.programme) == [Self.care, Self.support])
    let care = try #require(balances.first)
    #expect(care.decided == 13_000_000)  // 12,000,000 − 1,000,000 (c3) + 2,000,000
    #expect(care.deposited == 5_000_000)
    #expect(care.interest == 1_234)
    #expect(care.executed == 3_600_000)  // 3,000,000 − 500,000 + 100,000, and 1,000,000
    #expect(care.balance == 14_401_234)
    #expect(care.surveyed == 14_000_000)
    #expect(care.lines.map(\.entry.id.rawValue) == ["d1", "dep", "x1", "x2", "d2", "int"])
    let execution = try #require(care.lines.first { $0.entry.id.rawValue == "x1" })
    #expect(execution.corrections.map(\.id.rawValue) == ["c1", "c2"])
    #expect(execution.effectiveAmount == 2_600_000)
    #expect(care.lines.first?.corrections.map(\.id.rawValue) == ["c3"])
    #expect(care.unattributed.isEmpty)
  }

  @Test func noYenIsCountedTwice() throws {
    let entries = try ledger()
    let once = FundBalance.compute(entries)
    #expect(FundBalance.compute(entries + entries) == once)
    #expect(FundBalance.compute(entries.reversed()) == once)
    // Every amount except the survey counts exactly once, in exactly one balance.
    let counted = once.reduce(Int64(0)) { $0 + $1.decided + $1.deposited + $1.interest + $1.executed }
    let given = entries.filter { $0.kind != .balanceSurvey }.reduce(Int64(0)) { $0 + $1.amount }
    #expect(counted == given)
    let lines = once.flatMap { $0.lines + $0.surveys }
    #expect(Set(lines.map(\.entry.id)).count == lines.count)
    let corrections = lines.flatMap(\.corrections)
    #expect(Set(corrections.map(\.id)).count == corrections.count)
    #expect(corrections.count == 3)
  }

  @Test func aCorrectionCountsInTheYearOfTheEntryItCorrects() throws {
    #expect(FundBalance.compute(try ledger(), fiscalYear: FiscalYear(2024)).isEmpty)
    let all = FundBalance.compute(try ledger())
    #expect(all.map { "\($0.fiscalYear) \($0.programme)" } == ["FY2022 \(Self.care)", "FY2023 \(Self.care)", "FY2023 \(Self.support)"])
    #expect(all.first?.balance == 7_000_000)
  }

  @Test func balancesAreKeptApartByScope() throws {
    let entries = [
      try entry("a", .initialDecision, 1_000_000, on: "2023-06-01"),
      try entry("b", .initialDecision, 2_000_000, on: "2023-06-01", scope: "19"),
      try entry("c", .execution, 300_000, on: "2023-07-01", scope: "19"),
    ]
    let balances = FundBalance.compute(entries)
    #expect(balances.map(\.scope.rawValue) == ["11", "19"])
    #expect(balances.map(\.balance) == [1_000_000, 1_700_000])
  }

  @Test func correctionsThatCannotBeAttributedCountNowhereAndAreListed() throws {
    let entries = [
      try entry("d1", .initialDecision, 1_000_000, on: "2023-06-01"),
      try entry("lost", .correction, -100, on: "2023-06-02", corrects: "not-here"),
      try entry("loop-a", .correction, -200, on: "2023-06-03", corrects: "loop-b"),
      try entry("loop-b", .correction, -300, on: "2023-06-04", corrects: "loop-a"),
      try entry("elsewhere", .correction, -400, on: "2023-06-05", scope: "19", corrects: "d1"),
    ]
    let balances = FundBalance.compute(entries)
    #expect(balances.count == 2)
    let saitama = try #require(balances.first { $0.scope.rawValue == "11" })
    #expect(saitama.decided == 1_000_000)
    #expect(saitama.lines.map(\.entry.id.rawValue) == ["d1"])
    #expect(saitama.unattributed.map(\.correction.id.rawValue) == ["lost", "loop-a", "loop-b"])
    #expect(saitama.unattributed[0].reason == "corrects not-here, which is not in the ledger")
    #expect(saitama.unattributed[1].reason.contains("loops back"))
    let yamanashi = try #require(balances.first { $0.scope.rawValue == "19" })
    #expect(yamanashi.balance == 0)
    #expect(yamanashi.unattributed.map(\.reason) == ["corrects d1, an entry of scope 11, not 19"])
  }

  @Test func aCorrectedSurveyReportsTheCorrectedFigure() throws {
    let entries = [
      try entry("s1", .balanceSurvey, 9_000_000, on: "2023-10-01"),
      try entry("s2", .balanceSurvey, 8_000_000, on: "2024-03-01"),
      try entry("fix", .correction, 50_000, on: "2024-03-05", corrects: "s2"),
    ]
    let balance = try #require(FundBalance.compute(entries).first)
    #expect(balance.balance == 0)
    #expect(balance.lines.isEmpty)
    #expect(balance.surveys.map(\.entry.id.rawValue) == ["s1", "s2"])
    #expect(balance.surveyed == 8_050_000)
  }

  @Test func encodesForMachines() throws {
    let care = try #require(FundBalance.compute(try ledger(), fiscalYear: FiscalYear(2023)).first)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(care)) as? [String: Any])
    #expect(json["scope"] as? String == "11")
    #expect(json["programme"] as? String == Self.care)
    #expect(json["fiscal_year"] as? Int == 2023)
    #expect(json["fiscal_year_name"] as? String == "令和5年度")
    #expect(json["decided"] as? Int == 13_000_000)
    #expect(json["executed"] as? Int == 3_600_000)
    #expect(json["balance"] as? Int == 14_401_234)
    #expect(json["surveyed"] as? Int == 14_000_000)
    let lines = try #require(json["lines"] as? [[String: Any]])
    #expect(lines.count == 6)
    let x1 = try #require(lines.first { $0["id"] as? String == "x1" })
    #expect(x1["kind"] as? String == "execution")
    #expect(x1["amount"] as? Int == 3_000_000)
    #expect(x1["effective_amount"] as? Int == 2_600_000)
    #expect(x1["occurred_on"] as? String == "2023-09-01")
    let corrections = try #require(x1["corrections"] as? [[String: Any]])
    #expect(corrections.map { $0["id"] as? String } == ["c1", "c2"])
    #expect(corrections.first?["corrects"] as? String == "x1")
  }

  @Test func rendersASummaryTable() throws {
    let balances = FundBalance.compute(try ledger(), fiscalYear: FiscalYear(2023))
    let expected = [
      "区分       年度                事業                                決定額  積立・運用益     執行額        残高",
      "---------  ------------------  ------------------------------  ----------  ------------  ---------  ----------",
      "11 埼玉県  FY2023 / 令和5年度  地域医療介護総合確保基金 介護…  13,000,000     5,001,234  3,600,000  14,401,234",
      "11 埼玉県  FY2023 / 令和5年度  地域支援事業交付金               1,000,000             0          0   1,000,000",
    ].map { $0 + "\n" }.joined()
    #expect(FundBalance.summaryTable(balances).render() == expected)
  }

  @Test func rendersTheEntriesBehindABalance() throws {
    let care = try #require(FundBalance.compute(try ledger(), fiscalYear: FiscalYear(2023)).first)
    let lines = care.entriesTable().render().split(separator: "\n").map(String.init)
    #expect(lines.count == 2 + 6 + 3 + 1)  // header, separator, entries, corrections, survey
    #expect(lines[2].hasPrefix("2023-06-01  交付決定"))
    #expect(lines[3].hasPrefix("2024-05-01    └ 訂正"))
    #expect(lines.last?.hasPrefix("2024-03-31  残高調査") == true)
    #expect(Set(lines.map(DisplayWidth.of)).count > 1)
  }
}
