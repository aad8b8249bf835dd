import Foundation
import RenkeiCore
import Testing

@testable import RenkeiReports

@Suite struct ScheduleReportTests {
  static let today = try! RecordDate(iso: "2024-01-15")

  static func exampleReport(today: RecordDate = today, extra: [Event] = []) throws -> ScheduleReport {
    ScheduleReport(
      fiscalYear: FiscalYear(2023), schedule: try ExampleData.annualSchedule(), events: try ExampleData.events() + extra,
      today: today, bureau: ExampleData.kantoShinetsu)
  }

  static func event(
    _ id: String, _ title: String, kind: EventKind = .seminar, from start: String?, to end: String? = nil, status: EventStatus,
    venue: String? = nil, scope: String = "kanto-shinetsu", year: Int64? = nil
  ) throws -> Event {
    var fields: RecordFields = [
      "scope": .string(scope), "kind": .string(kind.rawValue), "title": .text(title), "status": .string(status.rawValue),
      "starts_on": start.map(FieldValue.string) ?? .null, "ends_on": end.map(FieldValue.string) ?? .null,
      "venue": venue.map(FieldValue.text) ?? .null,
    ]
    if let year { fields["fiscal_year"] = .integer(year) }
    return try Event(id: RecordID(id), fields: fields)
  }

  @Test func everyProgrammeOfTheAnnualScheduleIsARow() throws {
    let report = try Self.exampleReport()
    let html = report.html()
    let svg = report.svg()
    for programme in try ExampleData.annualSchedule().programmes {
      #expect(html.contains(HTMLText.escape(programme)), "\(programme) is missing from the page")
      #expect(svg.contains(HTMLText.escape(programme)), "\(programme) is missing from the chart")
    }
    // Nine programmes: ten entries, two of them on one row.
    #expect(html.components(separatedBy: "<g class=\"row programme\">").count - 1 == 9)
    // The arrows and the two fixed 5.30 meetings of the source grid.
    #expect(html.components(separatedBy: "class=\"span\"").count - 1 == 8)
    #expect(html.components(separatedBy: "class=\"fixed-date\"").count - 1 == 2)
    #expect(html.contains("5.30開催"))
    #expect(html.contains("※1 都県協議会において都県から要望等があれば、時期を調整の上、別途企画する"))
  }

  @Test func everyEventOfTheYearIsShownAndNoOther() throws {
    let events = try ExampleData.events()
    let report = try Self.exampleReport()
    let html = report.html()
    let ofTheYear = events.filter { $0.fiscalYear == FiscalYear(2023) }
    #expect(!ofTheYear.isEmpty)
    #expect(report.events.map(\.id) == ofTheYear.map(\.id))
    for event in ofTheYear {
      #expect(html.contains(HTMLText.escape(event.title)))
      #expect(report.svg().contains(HTMLText.escape(event.title)))
    }
    #expect(html.contains("行事一覧（\(ofTheYear.count)件）"))
    // FY2022's seminars of March 2023 are the year before.
    for event in events where event.fiscalYear != FiscalYear(2023) {
      #expect(!html.contains("<td>\(HTMLText.escape(event.title))</td>"), "\(event.id) is not of FY2023")
    }
  }

  @Test func theBureausEventListNamesThePrefectureOfEachEvent() throws {
    let hearing = try Self.event("h1", "基金執行状況ヒアリング", kind: .hearing, from: "2023-08-03", status: .planned, scope: "13")
    let seminar = try Self.event("s1", "応援セミナー", from: "2023-11-14", status: .planned)
    let html = ScheduleReport(
      fiscalYear: FiscalYear(2023), events: [hearing, seminar], today: Self.today, bureau: ExampleData.kantoShinetsu
    ).html()
    #expect(html.contains("<th>都県</th>"))
    #expect(html.contains("<td>東京都</td><td>ヒアリング</td><td>基金執行状況ヒアリング</td>"))
    #expect(html.contains("<td>関東信越厚生局</td><td>セミナー</td><td>応援セミナー</td>"))

    // A list of one office's events has no column to tell them apart.
    let alone = ScheduleReport(fiscalYear: FiscalYear(2023), events: [hearing], today: Self.today).html()
    #expect(!alone.contains("<th>都県</th>"))
    #expect(alone.contains("<td>ヒアリング</td><td>基金執行状況ヒアリング</td>"))
  }

  @Test func theTitleNamesTheYearInTheJapaneseEra() throws {
    let report = try Self.exampleReport()
    #expect(report.title == "令和5年度 関東信越厚生局 年間スケジュール")
    #expect(report.html().contains("<title>令和5年度 関東信越厚生局 年間スケジュール</title>"))
    #expect(report.html().contains("<h1>令和5年度 関東信越厚生局 年間スケジュール</h1>"))
    #expect(report.svg().contains(">令和5年度 関東信越厚生局 年間スケジュール</text>"))
    for month in ["4月", "9月", "12月", "1月", "3月"] { #expect(report.svg().contains(">\(month)</text>")) }
    #expect(report.svg().contains(">2023年</text>") && report.svg().contains(">2024年</text>"))
  }

  @Test func statusesAreDrawnWithDistinctClasses() throws {
    let extra = [
      try Self.event("s-held", "開催済みのセミナー", from: "2023-07-12", status: .held),
      try Self.event("s-planned", "予定の事例研究会", kind: .caseStudy, from: "2024-02-08", status: .planned),
      try Self.event("s-postponed", "延期した分科会", kind: .subcommittee, from: "2023-09-21", status: .postponed),
      try Self.event("s-cancelled", "中止した研修会", kind: .training, from: "2023-12-05", status: .cancelled),
      try Self.event("s-span", "二日間の研修会", kind: .training, from: "2023-11-15", to: "2023-11-16", status: .held),
      try Self.event("s-month", "県ヒアリング", kind: .hearing, from: "2023-10", status: .planned),
      try Self.event("s-undated", "日程調整中の意見交換会", kind: .exchange, from: nil, status: .planned, year: 2023),
    ]
    let svg = try Self.exampleReport(extra: extra).svg()
    func row(_ title: String) throws -> String {
      let start = try #require(svg.range(of: "<g class=\"row event "), "no event rows")
      let rows = svg[start.lowerBound...].components(separatedBy: "<g class=\"row event ")
      return try #require(rows.first { $0.contains(">\(title)</text>") }, "no row for \(title)")
    }
    #expect(try row("開催済みのセミナー").hasPrefix("status-held\""))
    #expect(try row("開催済みのセミナー").contains("class=\"event-mark status-held\""))
    #expect(try row("予定の事例研究会").contains("class=\"event-mark status-planned\""))
    #expect(try row("延期した分科会").contains("class=\"event-mark status-postponed\""))
    #expect(try row("中止した研修会").contains("class=\"event-mark status-cancelled\""))
    // A span is a bar, a single day a mark; a month-only date is a bar across its month.
    #expect(try row("二日間の研修会").contains("<rect class=\"event-mark status-held\""))
    #expect(try row("開催済みのセミナー").contains("<circle class=\"event-mark status-held\""))
    #expect(try row("県ヒアリング").contains("<rect class=\"event-mark status-planned\""))
    #expect(try row("日程調整中の意見交換会").contains(">日付未定</text>"))
    // The three statuses the issue names look different, not only by class.
    let held = EventMarkStyle(.held).mark(x: 0, y: 0, className: "x")
    let planned = EventMarkStyle(.planned).mark(x: 0, y: 0, className: "x")
    let postponed = EventMarkStyle(.postponed).mark(x: 0, y: 0, className: "x")
    #expect(Set([held, planned, postponed]).count == 3)
    let html = try Self.exampleReport(extra: extra).html()
    #expect(html.contains("<span class=\"status status-postponed\">延期</span>"))
    #expect(html.contains("<span class=\"status status-held\">開催済</span>"))
    #expect(html.contains("<td class=\"date\">2023年11月15日〜16日</td>"))
  }

  @Test(arguments: [
    ("2024-01-15", true, "今日 1/15"), ("2023-04-01", true, "今日 4/1"), ("2024-03-31", true, "今日 3/31"),
    ("2024-04-01", false, ""), ("2023-03-31", false, ""), ("2030-06-01", false, ""),
  ])
  func todaysMonthIsMarkedOnlyWithinTheYear(date: String, marked: Bool, label: String) throws {
    let report = try Self.exampleReport(today: RecordDate(iso: date))
    for text in [report.html(), report.svg()] {
      #expect(text.contains("class=\"today-marker\"") == marked)
      #expect(text.contains("class=\"today-month\"") == marked)
      #expect(text.contains("class=\"today-month-header\"") == marked)
      if marked { #expect(text.contains(">\(label)</text>")) }
    }
  }

  @Test func theMarkerStandsInTodaysMonthColumn() throws {
    let svg = try Self.exampleReport().svg()
    // January is the tenth column from April.
    let januaryLeft = ScheduleChart.gridLeft + 9 * ScheduleChart.monthWidth
    #expect(svg.contains("<rect class=\"today-month\" x=\"\(SVGMarkup.number(januaryLeft))\""))
  }

  @Test func hostileTextIsEscapedEverywhere() throws {
    let hostile = "<script>alert(\"x\")</script>"
    let schedule = try AnnualSchedule.parse(
      csv:
        "programme,start_month,end_month,fixed_date,note\n\"\(hostile.replacingOccurrences(of: "\"", with: "\"\""))\",2023-04,2023-06,,<b>※1 <img src=x onerror=alert(1)>\n"
    )
    let events = [
      try Self.event("hostile", hostile, from: "2023-06-01", status: .held, venue: "\"><img src=x onerror=alert(1)>")
    ]
    let report = ScheduleReport(fiscalYear: FiscalYear(2023), schedule: schedule, events: events, today: Self.today)
    for text in [report.html(), report.svg()] {
      #expect(!text.contains("<script"))
      #expect(!text.contains("<img"))
      #expect(!text.contains("<b>"))
      #expect(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"))
    }
    #expect(report.html().contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
  }

  @Test func thePageIsSelfContainedAndPrintsOnA4Landscape() throws {
    let report = try Self.exampleReport()
    let html = report.html()
    ReportChecks.expectSelfContained(html: html)
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">"))
    #expect(html.contains("@page { size: A4 landscape;"))
    #expect(html.contains("@media print"))
    #expect(html.contains("'Noto Sans CJK JP'") || html.contains("\"Noto Sans CJK JP\""))
    ReportChecks.expectStandaloneSVG(report.svg())
  }

  @Test func renderingIsAPureFunctionOfTheInputs() throws {
    #expect(try Self.exampleReport().html() == Self.exampleReport().html())
    #expect(try Self.exampleReport().svg() == Self.exampleReport().svg())
  }

  @Test func aYearWithoutScheduleOrEventsSaysSo() {
    let report = ScheduleReport(fiscalYear: FiscalYear(2030), events: [], today: Self.today)
    #expect(report.title == "令和12年度 年間スケジュール")
    #expect(report.html().contains("令和12年度の行事は登録されていません"))
    ReportChecks.expectStandaloneSVG(report.svg())
  }
}

/// Checks shared by both reports' tests.
enum ReportChecks {
  /// No script, nothing fetched: no URL, no `src`, `href`, `@import` or `url(`.
  static func expectSelfContained(html: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for forbidden in ["<script", "http://", "https://", " src=", "href=", "@import", "url(", "@font-face", "<link", "<iframe", "<object"] {
      #expect(!html.lowercased().contains(forbidden), "the page contains \(forbidden)", sourceLocation: sourceLocation)
    }
  }

  /// A standalone SVG: the namespace (its only URL, an identifier never fetched), a viewBox,
  /// and a printed width that fits A4 landscape.
  static func expectStandaloneSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), sourceLocation: sourceLocation)
    #expect(svg.hasSuffix("</svg>"), sourceLocation: sourceLocation)
    let withoutNamespace = svg.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
    expectSelfContained(html: withoutNamespace, sourceLocation: sourceLocation)
    #expect(svg.contains(" viewBox=\"0 0 1040 "), sourceLocation: sourceLocation)
    guard let match = svg.firstMatch(of: /width="([0-9.]+)mm"/), let millimetres = Double(match.1) else {
      Issue.record("the SVG has no width in mm", sourceLocation: sourceLocation)
      return
    }
    #expect(millimetres <= 277, "A4 landscape is 297 mm wide; inside 10 mm margins 277", sourceLocation: sourceLocation)
    // Every element opened is closed: a rough well-formedness check for XML viewers.
    #expect(
      svg.components(separatedBy: "<g").count == svg.components(separatedBy: "</g>").count, sourceLocation: sourceLocation)
    #expect(!svg.contains("&&") && !svg.contains("& "), sourceLocation: sourceLocation)
  }
}
