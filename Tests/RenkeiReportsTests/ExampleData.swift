import Foundation
import RenkeiCore
import RenkeiReports

/// The package's example data (`Examples/data/`), found from this file's path so the tests
/// run from any working directory.
enum ExampleData {
  /// `Tests/RenkeiReportsTests/ExampleData.swift` → `Examples/data/`.
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/data", isDirectory: true)

  static func text(_ name: String) throws -> String {
    try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
  }

  static func annualSchedule() throws -> AnnualSchedule {
    try AnnualSchedule.parse(csv: text("fy2023-annual-schedule.csv"))
  }

  /// Every event of `events.csv`, of all years.
  static func events() throws -> [Event] {
    try EventImport.rows(of: CSVTable(parsing: text("events.csv"))).map(\.event)
  }

  /// `budgets.csv`: programme, fiscal year and amount of the ministry's budget lines.
  static func budgets() throws -> [(programme: String, fiscalYear: Int, yen: Int64)] {
    try CSVTable(parsing: text("budgets.csv")).namedRows.map { row in
      (row.values["programme"]!, Int(row.values["fiscal_year"]!)!, Int64(row.values["amount_yen"]!)!)
    }
  }

  static let kantoShinetsu = Bureau.named("kanto-shinetsu")!
}

/// A fund ledger for the Kanto-Shinetsu bureau's prefectures, FY2023, with the kinds of entry
/// that make balances interesting: amended decisions, deposits, interest, executions, a
/// refund, corrections (one made the next year), a balance survey, and FY2022 entries that
/// must not count. The examples hold no prefecture ledger, so the figures are made up, in
/// the range of the real funds; the bureau's own lines are `budgets.csv`'s FY2023 budget.
enum FundFixture {
  static let facilities = "地域医療介護総合確保基金（介護施設等整備分）"
  static let workforce = "地域医療介護総合確保基金（介護従事者確保分）"
  static let communitySupport = "地域支援事業交付金"

  static func entry(
    _ id: String, _ scope: String, _ programme: String, _ kind: FundEntryKind, _ amount: Int64, on date: String?,
    year: Int64 = 2023, corrects: String? = nil, memo: String? = nil
  ) throws -> FundEntry {
    var fields: RecordFields = [
      "scope": .string(scope), "programme": .text(programme), "kind": .string(kind.rawValue), "amount": .integer(amount),
      "fiscal_year": .integer(year), "occurred_on": date.map(FieldValue.string) ?? .null,
    ]
    if let corrects { fields["corrects"] = .string(corrects) }
    if let memo { fields["memo"] = .text(memo) }
    return try FundEntry(id: RecordID(id), fields: fields)
  }

  static func entries() throws -> [FundEntry] {
    var entries: [FundEntry] = []
    // (prefecture, initial decision, amendment, deposit, interest, executed) in yen.
    let facilitiesFigures: [(String, Int64, Int64, Int64, Int64, Int64)] = [
      ("08", 1_150_000_000, 42_000_000, 0, 310_000, 812_400_000), ("09", 720_000_000, 0, 35_000_000, 120_500, 655_200_000),
      ("10", 810_000_000, -18_500_000, 0, 98_765, 402_000_000), ("11", 2_456_000_000, 120_000_000, 80_000_000, 1_204_330, 1_987_654_321),
      ("12", 1_980_000_000, 0, 0, 455_000, 1_450_300_000), ("13", 5_120_000_000, 250_000_000, 150_000_000, 2_870_000, 4_380_000_000),
      ("14", 3_380_000_000, -60_000_000, 0, 1_010_000, 2_905_500_000), ("15", 940_000_000, 15_000_000, 12_000_000, 210_000, 611_000_000),
    ]
    for (code, initial, amendment, deposit, interest, executed) in facilitiesFigures {
      entries.append(try entry("fac-\(code)-initial", code, facilities, .initialDecision, initial, on: "2023-06-01"))
      if amendment != 0 {
        entries.append(try entry("fac-\(code)-amended", code, facilities, .amendedDecision, amendment, on: "2024-02-20"))
      }
      if deposit != 0 { entries.append(try entry("fac-\(code)-deposit", code, facilities, .deposit, deposit, on: "2023-07-10")) }
      entries.append(try entry("fac-\(code)-interest", code, facilities, .interest, interest, on: "2024-03-29"))
      entries.append(try entry("fac-\(code)-exec-1", code, facilities, .execution, executed / 3, on: "2023-10-31"))
      entries.append(try entry("fac-\(code)-exec-2", code, facilities, .execution, executed - executed / 3, on: "2024-03-15"))
    }
    // 埼玉県 reported a balance; 千葉県's first execution was keyed 1,000,000 yen too high and
    // corrected in the next fiscal year, and the correction was itself corrected.
    entries.append(try entry("fac-11-survey", "11", facilities, .balanceSurvey, 670_000_000, on: "2024-03-31"))
    entries.append(try entry("fac-12-fix", "12", facilities, .correction, -1_000_000, on: "2024-05-10", corrects: "fac-12-exec-1"))
    entries.append(try entry("fac-12-fix-2", "12", facilities, .correction, 250_000, on: "2024-05-12", corrects: "fac-12-fix"))
    // FY2022: must not count in FY2023.
    entries.append(try entry("fac-11-2022", "11", facilities, .initialDecision, 2_000_000_000, on: "2022-06-01", year: 2022))
    entries.append(try entry("fac-11-2022-exec", "11", facilities, .execution, 1_500_000_000, on: "2023-01-20", year: 2022))

    let workforceFigures: [(String, Int64, Int64)] = [
      ("11", 312_450_000, 287_990_500), ("13", 804_000_000, 612_345_678), ("14", 455_600_000, 470_100_000),
      ("19", 98_700_000, 61_234_000), ("20", 176_500_000, 150_000_000),
    ]
    for (code, decided, executed) in workforceFigures {
      entries.append(try entry("wf-\(code)-initial", code, workforce, .initialDecision, decided, on: "2023-08-01"))
      entries.append(try entry("wf-\(code)-exec", code, workforce, .execution, executed, on: "2024-03-22"))
    }
    // 東京都 was refunded part of an execution.
    entries.append(try entry("wf-13-refund", "13", workforce, .execution, -2_345_678, on: "2024-03-28"))

    let communityFigures: [(String, Int64)] = [
      ("08", 4_120_345_000), ("09", 2_790_120_000), ("10", 2_845_000_000), ("11", 9_876_543_000), ("12", 8_102_000_000),
      ("13", 15_230_000_000), ("14", 11_004_500_000), ("15", 3_456_789_000), ("19", 1_234_567_000), ("20", 3_210_000_000),
    ]
    for (code, decided) in communityFigures {
      entries.append(try entry("cs-\(code)-initial", code, communitySupport, .initialDecision, decided, on: "2023-09-01"))
      entries.append(try entry("cs-\(code)-final", code, communitySupport, .finalDetermination, -(decided / 50), on: "2024-03-25"))
      entries.append(try entry("cs-\(code)-exec", code, communitySupport, .execution, decided - decided / 50, on: "2024-03-26"))
    }

    // The bureau's own lines: the FY2023 budget of `budgets.csv`, decided and not yet spent.
    for (index, budget) in try ExampleData.budgets().enumerated() where budget.fiscalYear == 2023 {
      entries.append(
        try entry(
          "bureau-budget-\(index)", "kanto-shinetsu", budget.programme, .initialDecision, budget.yen, on: "2023-04-01",
          memo: "令和5年度当初予算"))
    }
    return entries
  }
}
