import RenkeiCore

/// The fiscal year's schedule as a grid of programmes and events by month, April to March:
/// the page `renkei report schedule` writes and the hub serves at `/reports/schedule`.
///
/// The grid reproduces the bureau's annual schedule (令和5年度 … 年間スケジュール): one row per
/// programme of the ``AnnualSchedule`` with its months drawn as arrows and fixed meetings as
/// diamonds, then one row per event of the year, a bar for a span of days or months and a
/// mark for a single day, styled by status (held, planned, postponed, cancelled). The
/// current month is shaded and today marked when `today` falls in the year.
///
/// A pure function of its inputs: rendering twice gives the same text, and nothing is read
/// or written.
///
/// ```swift
/// let schedule = try AnnualSchedule.parse(csv: csvText)
/// let report = ScheduleReport(fiscalYear: FiscalYear(2023), schedule: schedule, events: events, today: today)
/// let page = report.html()   // a self-contained HTML page
/// let chart = report.svg()   // the chart alone, as an SVG file
/// ```
public struct ScheduleReport: Sendable {
  public var fiscalYear: FiscalYear
  public var schedule: AnnualSchedule
  /// The events of `fiscalYear`, by date (undated last), then title.
  public var events: [Event]
  /// The date the report is made; its month is marked when it falls in the fiscal year.
  public var today: RecordDate
  /// The bureau whose schedule this is, named in the title when given.
  public var bureau: Bureau?

  /// - Parameters:
  ///   - fiscalYear: the year shown, April to March.
  ///   - schedule: the annual plan; its entries outside `fiscalYear` are left out.
  ///   - events: events of any year; those whose fiscal year is `fiscalYear` are shown.
  ///   - today: the date of making the report, for the month marker and the page's date.
  ///   - bureau: names the bureau in the title (`令和5年度 関東信越厚生局 年間スケジュール`).
  public init(
    fiscalYear: FiscalYear, schedule: AnnualSchedule = .empty, events: [Event], today: RecordDate, bureau: Bureau? = nil
  ) {
    self.fiscalYear = fiscalYear
    self.schedule = AnnualSchedule(
      entries: schedule.entries.filter { $0.startMonth <= fiscalYear.lastMonth && $0.endMonth >= fiscalYear.firstMonth })
    self.events = events.filter { $0.fiscalYear == fiscalYear }.sorted { lhs, rhs in
      switch (lhs.startsOn, rhs.startsOn) {
      case (let left?, let right?) where left != right: return left < right
      case (.some, nil): return true
      case (nil, .some): return false
      default: return (lhs.title, lhs.id) < (rhs.title, rhs.id)
      }
    }
    self.today = today
    self.bureau = bureau
  }

  /// `令和5年度 関東信越厚生局 年間スケジュール`.
  public var title: String {
    [fiscalYear.japaneseName, bureau?.nameJa, "年間スケジュール"].compactMap { $0 }.joined(separator: " ")
  }

  /// `FY2023（2023年4月〜2024年3月） 作成日 2024年1月15日`.
  public var subtitle: String {
    "FY\(fiscalYear.startYear)（\(ReportPage.span(of: fiscalYear))）　作成日 \(ReportPage.japaneseDate(today))"
  }

  /// The chart alone, as a standalone SVG document with its title and footnotes, sized to
  /// print across A4 landscape (275 mm wide).
  public func svg() -> String {
    ScheduleChart(report: self).markup(standalone: true)
  }

  /// The whole page: title, the chart, the footnotes (as text under the chart rather than
  /// inside it) and a table of the year's events.
  public func html() -> String {
    var body = "<figure class=\"schedule\">\n" + ScheduleChart(report: self).markup(standalone: false) + "\n"
    body += "</figure>\n"
    let footnotes = schedule.footnotes
    if !footnotes.isEmpty {
      body += "<ul class=\"notes footnotes\">\n"
      for note in footnotes {
        body += "<li>\(HTMLText.escape(note.mark)) \(HTMLText.escape(note.text))</li>\n"
      }
      body += "</ul>\n"
    }
    body += eventTable()
    return ReportPage.document(title: title, subtitle: subtitle, body: body)
  }

  private func eventTable() -> String {
    var html = "<section class=\"events\">\n<h2>行事一覧（\(events.count)件）</h2>\n"
    guard !events.isEmpty else {
      return html + "<p class=\"empty\">\(HTMLText.escape(fiscalYear.japaneseName))の行事は登録されていません。</p>\n</section>\n"
    }
    // The bureau's page lists every prefecture's events with its own: each row says whose.
    let severalScopes = Set(events.map(\.scope)).count > 1
    html += "<table class=\"event-list\">\n<thead><tr><th>日付</th>\(severalScopes ? "<th>都県</th>" : "")<th>区分</th><th>名称</th>"
    html += "<th>会場</th><th>共催</th><th class=\"num\">参加者数</th><th>状況</th></tr></thead>\n<tbody>\n"
    for event in events {
      html += "<tr class=\"event\">"
      html += "<td class=\"date\">\(HTMLText.escape(EventLabels.dates(of: event)))</td>"
      if severalScopes { html += "<td>\(HTMLText.escape(Self.office(event.scope)))</td>" }
      html += "<td>\(HTMLText.escape(EventLabels.kind(event.kind)))</td>"
      html += "<td>\(HTMLText.escape(event.title))</td>"
      html += "<td>\(HTMLText.escape(event.venue ?? ""))</td>"
      html += "<td>\(HTMLText.escape(event.coHosts.joined(separator: "、")))</td>"
      html += "<td class=\"num\">\(event.participants.map { "\($0)人" } ?? "")</td>"
      html += "<td><span class=\"status \(EventLabels.statusClass(event.status))\">\(EventLabels.status(event.status))</span></td>"
      html += "</tr>\n"
    }
    return html + "</tbody>\n</table>\n</section>\n"
  }

  /// The office an event belongs to, as the page names it: 東京都, or 関東信越厚生局.
  static func office(_ scope: Scope) -> String {
    switch scope {
    case .prefecture(let prefecture): return prefecture.nameJa
    case .bureau(let bureau): return bureau.nameJa
    }
  }
}
