import RenkeiCore

/// The Japanese words the bureau's schedules use for events, and their dates as printed.
enum EventLabels {
  static func kind(_ kind: EventKind) -> String {
    switch kind {
    case .council: return "協議会"
    case .subcommittee: return "分科会"
    case .seminar: return "セミナー"
    case .caseStudy: return "事例研究会"
    case .exchange: return "意見交換会"
    case .training: return "研修会"
    case .hearing: return "ヒアリング"
    case .visit: return "訪問"
    case .liaison: return "連絡会議"
    case .headquartersMeeting: return "推進本部会議"
    case .other: return "その他"
    }
  }

  static func status(_ status: EventStatus) -> String {
    switch status {
    case .held: return "開催済"
    case .planned: return "予定"
    case .postponed: return "延期"
    case .cancelled: return "中止"
    }
  }

  /// The class that styles a status in the chart, the legend and the table.
  static func statusClass(_ status: EventStatus) -> String { "status-" + status.rawValue }

  /// The event's dates in full: `2023年5月30日`, `2023年11月15日〜16日`, `2023年10月`, `日付未定`.
  static func dates(of event: Event) -> String { dates(event, withYear: true) }

  /// The same without the year, for the chart where the columns give it: `5月30日`.
  static func shortDates(of event: Event) -> String { dates(event, withYear: false) }

  /// The compact form beside a mark in the chart: `5/30`, `11/15–16`, `12/28–1/5`, `10月`.
  static func slashDates(from start: RecordDate, to end: RecordDate) -> String {
    func text(_ date: RecordDate) -> String { date.day.map { "\(date.month)/\($0)" } ?? "\(date.month)月" }
    guard end != start else { return text(start) }
    if let day = end.day, start.day != nil, start.year == end.year, start.month == end.month { return text(start) + "–\(day)" }
    return text(start) + "–" + text(end)
  }

  private static func dates(_ event: Event, withYear: Bool) -> String {
    guard let start = event.startsOn else { return "日付未定" }
    func text(_ date: RecordDate, after previous: RecordDate?) -> String {
      var result = ""
      if previous?.year != date.year, withYear || previous != nil { result += "\(date.year)年" }
      if previous?.year != date.year || previous?.month != date.month || date.day == nil { result += "\(date.month)月" }
      if let day = date.day { result += "\(day)日" }
      return result
    }
    let first = text(start, after: nil)
    guard let end = event.endsOn, end != start else { return first }
    return first + "〜" + text(end, after: start)
  }
}
