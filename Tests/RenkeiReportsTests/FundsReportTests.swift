import Foundation
import RenkeiCore
import Testing

@testable import RenkeiReports

@Suite struct FundsReportTests {
  static func exampleReport() throws -> FundsReport {
    FundsReport(
      fiscalYear: FiscalYear(2023), entries: try FundFixture.entries(), bureau: ExampleData.kantoShinetsu,
      asOf: try RecordDate(iso: "2024-03-31"))
  }

  /// The totals of one programme computed straight from the entries, without FundBalance:
  /// each entry counts in its own year and kind, a correction in its original's.
  static func independentTotals(_ entries: [FundEntry], programme: String, year: Int) -> [Int64] {
    let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    var decided: Int64 = 0
    var added: Int64 = 0
    var executed: Int64 = 0
    for entry in entries {
      var original = entry
      while original.kind == .correction, let target = original.corrects.flatMap({ byID[$0] }) { original = target }
      guard original.programme == programme, original.fiscalYear.startYear == year else { continue }
      switch original.kind {
      case .initialDecision, .amendedDecision, .finalDetermination: decided += entry.amount
      case .deposit, .interest: added += entry.amount
      case .execution: executed += entry.amount
      case .balanceSurvey, .correction: continue
      }
    }
    return [decided, added, executed, decided + added - executed]
  }

  /// The `data-yen` figures of the totals row in the programme's section of the page.
  static func totalsRow(of programme: String, in html: String) throws -> (yen: [Int64], markup: String) {
    let heading = "<section class=\"programme\">\n<h2>\(HTMLText.escape(programme))</h2>"
    let start = try #require(html.range(of: heading), "no section for \(programme)")
    let section = html[start.upperBound...].prefix { _ in true }
    let end = try #require(section.range(of: "</section>"))
    let body = section[..<end.lowerBound]
    let row = try #require(body.range(of: "<tr class=\"total\">"))
    let rowEnd = try #require(body[row.upperBound...].range(of: "</tr>"))
    let markup = String(body[row.lowerBound..<rowEnd.upperBound])
    let yen = markup.matches(of: /data-yen="(-?[0-9]+)"/).map { Int64($0.1)! }
    return (yen, markup)
  }

  @Test func everyProgrammeAndPrefectureIsShown() throws {
    let report = try Self.exampleReport()
    let html = report.html()
    let svg = report.svg()
    let entries = try FundFixture.entries()
    let programmes = Set(entries.filter { $0.fiscalYear == FiscalYear(2023) }.map(\.programme))
    #expect(Set(report.programmes) == programmes)
    #expect(programmes.count == 6)
    for programme in programmes {
      #expect(html.contains("<h2>\(HTMLText.escape(programme))</h2>"))
      #expect(svg.contains(HTMLText.escape(programme)))
    }
    // Every prefecture with entries, and every one of the bureau's in the funds they keep.
    for prefecture in ExampleData.kantoShinetsu.prefectures {
      #expect(html.contains("<th scope=\"row\">\(prefecture.nameJa)"), "\(prefecture.nameJa) is missing")
      #expect(svg.contains(">\(prefecture.nameJa)</text>"), "\(prefecture.nameJa) is missing from the chart")
    }
    let facilities = report.figures(for: FundFixture.facilities)
    #expect(facilities.map(\.scope?.rawValue) == ["08", "09", "10", "11", "12", "13", "14", "15", "19", "20"])
    #expect(facilities.filter { !$0.hasEntries }.compactMap(\.scope?.rawValue) == ["19", "20"])
    #expect(html.contains("山梨県 <span class=\"approx\">（記録なし）</span>"))
    // A national budget line kept by the bureau alone lists no prefectures.
    let budget = try #require(try ExampleData.budgets().first)
    #expect(report.figures(for: budget.programme).map(\.scope?.rawValue) == ["kanto-shinetsu"])
    #expect(html.contains("<th scope=\"row\">関東信越厚生局"))
  }

  @Test func theTotalsEqualTheLedger() throws {
    let report = try Self.exampleReport()
    let html = report.html()
    let entries = try FundFixture.entries()
    for programme in report.programmes {
      let expected = Self.independentTotals(entries, programme: programme, year: 2023)
      let (yen, markup) = try Self.totalsRow(of: programme, in: html)
      #expect(yen == expected, "\(programme)")
      #expect(markup.contains(YenText.full(expected[3])))
      // And the rows add up to the total.
      let rows = report.figures(for: programme)
      #expect(rows.reduce(0) { $0 + $1.balance } == expected[3])
    }
    // Spot checks by hand. 千葉県: 1,980,000,000 decided + 455,000 interest −
    // (1,450,300,000 − 1,000,000 + 250,000) executed.
    let chiba = try #require(report.figures(for: FundFixture.facilities).first { $0.scope?.rawValue == "12" })
    #expect(chiba.executed == 1_449_550_000)
    #expect(chiba.balance == 1_980_000_000 + 455_000 - 1_449_550_000)
    // 埼玉県's FY2022 decision and execution do not count in FY2023.
    let saitama = try #require(report.figures(for: FundFixture.facilities).first { $0.scope?.rawValue == "11" })
    #expect(saitama.decided == 2_576_000_000)
    #expect(saitama.surveyed == 670_000_000)
    #expect(html.contains("残高調査（報告）"))
  }

  @Test func amountsAreInYenWithSeparatorsAndInManOrOkuWhereLarge() throws {
    let html = try Self.exampleReport().html()
    // 東京都's facilities decision: 5,120,000,000 + 250,000,000.
    #expect(html.contains("<td class=\"num\" data-yen=\"5370000000\">5,370,000,000円 <span class=\"approx\">(53.7億円)</span></td>"))
    // 山梨県's workforce execution, in 万円.
    #expect(html.contains("61,234,000円 <span class=\"approx\">(6,123万円)</span>"))
    // Small amounts stay in yen alone.
    #expect(html.contains("<td class=\"num\" data-yen=\"0\">0円</td>"))
    #expect(!html.contains("(0円)"))
    let svg = try Self.exampleReport().svg()
    #expect(svg.contains(">53.7億円</text>"))
  }

  @Test func executionRateIsExecutedOverWhatWasAvailable() throws {
    let report = try Self.exampleReport()
    let yamanashi = try #require(report.figures(for: FundFixture.workforce).first { $0.scope?.rawValue == "19" })
    // 61,234,000 / 98,700,000 = 62.04…%
    #expect(yamanashi.executionPermille == 620)
    #expect(FundsReport.percent(620) == "62.0%")
    #expect(report.html().contains("<td class=\"num rate\">62.0%</td>"))
    let unkept = try #require(report.figures(for: FundFixture.workforce).first { !$0.hasEntries })
    #expect(unkept.executionPermille == nil)
  }

  /// A printed page is read without the ledger's documentation at hand: it says how its
  /// remaining balance and its execution rate are reached.
  @Test func thePageSaysHowTheBalanceAndTheRateAreReached() throws {
    let html = try Self.exampleReport().html()
    #expect(html.contains("残高＝交付決定額＋積立・運用益−執行額"))
    #expect(html.contains("執行率＝執行額÷（交付決定額＋積立・運用益）"))
    #expect(html.contains("残高調査（報告）は残高に加えていません"))
  }

  /// The summary counts the prefectures with records; the bureau's own line is no prefecture.
  @Test func theSummaryCountsPrefecturesNotTheBureau() throws {
    let programme = FundFixture.communitySupport
    let report = FundsReport(
      fiscalYear: FiscalYear(2023),
      entries: [
        try FundFixture.entry("y1", "19", programme, .initialDecision, 80_000_000, on: "2023-09-01"),
        try FundFixture.entry("k1", "kanto-shinetsu", programme, .execution, 5_000_000, on: "2023-10-01"),
      ],
      bureau: ExampleData.kantoShinetsu, asOf: try RecordDate(iso: "2024-03-31"))
    #expect(report.html().contains("<th scope=\"row\">\(programme)</th><td class=\"num\">1</td>"))
  }

  @Test func aBalanceBelowZeroIsDrawnLeftOfTheAxis() throws {
    // 神奈川県 executed more of the workforce fund than was decided.
    let report = try Self.exampleReport()
    let kanagawa = try #require(report.figures(for: FundFixture.workforce).first { $0.scope?.rawValue == "14" })
    #expect(kanagawa.balance == 455_600_000 - 470_100_000)
    #expect(report.svg().contains(">-1,450万円</text>"))
    let svg = report.svg()
    let bar = try #require(
      svg.firstMatch(
        of:
          /<rect class="bar bar-balance" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"[^>]*fill="#c53030"\/><text class="value" x="([0-9.]+)"[^>]*>-1,450万円</
      ))
    let scale = FundsChart.Scale(values: report.figures(for: FundFixture.workforce).flatMap { [$0.decided, $0.executed, $0.balance] })
    // The bar ends at zero, and its label stands right of the axis, clear of the names.
    #expect(abs(Double(bar.1)! + Double(bar.2)! - scale.x(0)) < 0.2)
    #expect(Double(bar.3)! > scale.x(0))
    #expect(scale.low < -14_500_000 && scale.low > -20_000_000)
    #expect(FundsChart.negativeColour == "#c53030")
  }

  @Test func theScaleHasRoundTicksAndZero() {
    let scale = FundsChart.Scale(values: [123_456_789, 5_000_000, -14_500_000])
    #expect(scale.ticks.contains(0))
    #expect(scale.step == 50_000_000)
    #expect(scale.ticks == [0, 50_000_000, 100_000_000, 150_000_000])
    #expect(scale.low <= -14_500_000 && scale.high >= 123_456_789)
    #expect(FundsChart.Scale(values: [-300_000_000, 10_000_000]).ticks == [-300_000_000, -200_000_000, -100_000_000, 0, 100_000_000])
    #expect(FundsChart.Scale.roundStep(atLeast: 27_000_000) == 50_000_000)
    #expect(FundsChart.Scale.roundStep(atLeast: 1) == 1)
    #expect(FundsChart.Scale(values: []).ticks.count >= 2)
    #expect(FundsChart.tickLabel(2_000_000_000) == "20億円")
    #expect(FundsChart.tickLabel(200_000_000) == "2億円")
    #expect(FundsChart.tickLabel(150_000_000) == "1.5億円")
    #expect(FundsChart.tickLabel(50_000_000) == "5,000万円")
    #expect(FundsChart.tickLabel(0) == "0円")
  }

  @Test func hostileTextIsEscaped() throws {
    let hostile = "<script>alert('x')</script>"
    let entries = [
      try FundFixture.entry("h-1", "11", hostile, .initialDecision, 1_000_000, on: "2023-06-01", memo: "<img src=x>"),
      try FundFixture.entry("h-2", "11", hostile, .correction, 5, on: "2023-06-02", corrects: "missing-entry"),
    ]
    let report = FundsReport(fiscalYear: FiscalYear(2023), entries: entries)
    for text in [report.html(), report.svg()] {
      #expect(!text.contains("<script"))
      #expect(text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }
    // The correction that names no entry is shown, not silently dropped.
    #expect(report.html().contains("未計上の訂正 h-2"))
  }

  @Test func thePageIsSelfContainedAndPrintsOnA4Landscape() throws {
    let report = try Self.exampleReport()
    let html = report.html()
    ReportChecks.expectSelfContained(html: html)
    #expect(html.contains("@page { size: A4 landscape;"))
    #expect(html.contains("<title>令和5年度 関東信越厚生局 基金・交付金の執行状況</title>"))
    #expect(html.contains("2024年3月31日現在"))
    ReportChecks.expectStandaloneSVG(report.svg())
    #expect(report.html() == html)
  }

  @Test func aYearWithoutEntriesSaysSo() {
    let report = FundsReport(fiscalYear: FiscalYear(2023), entries: [])
    #expect(report.html().contains("令和5年度の基金・交付金の記録はありません。"))
    ReportChecks.expectStandaloneSVG(report.svg())
  }
}
