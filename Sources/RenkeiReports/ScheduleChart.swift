import RenkeiCore

/// Draws a ``ScheduleReport`` as SVG: label column on the left, twelve month columns from
/// April to March, a row per programme and per event.
struct ScheduleChart {
  let report: ScheduleReport

  // Layout in SVG user units; 1040 units print 275 mm wide (A4 landscape).
  static let width = 1040.0
  static let gridLeft = 318.0
  static let gridRight = width - 1
  static let labelLeft = 12.0
  static let labelWidth = gridLeft - labelLeft - 14
  static var monthWidth: Double { (gridRight - gridLeft) / 12 }
  static let yearBandHeight = 18.0
  static let monthBandHeight = 24.0
  static let sectionHeight = 24.0

  // Colours, chosen to stay distinct when printed in greys.
  static let ink = "#1f2933"
  static let muted = "#52606d"
  static let rule = "#d5dbe1"
  static let headerFill = "#1f4e8c"
  static let bandFill = "#e9eef4"
  static let programmeFill = "#8fb3e0"
  static let programmeStroke = "#2f5d9e"
  static let fixedFill = "#1f4e8c"
  static let todayFill = "#fff1b8"
  static let todayStroke = "#c53030"

  private enum Row {
    case section(String)
    case programme(name: String, entries: [AnnualSchedule.Entry])
    case event(Event)
    case empty(String)
  }

  /// The whole SVG. `standalone` adds the namespace, the printed size and the title.
  func markup(standalone: Bool) -> String {
    var body: [String] = []
    var y = 0.0
    if standalone {
      body.append(SVGMarkup.text(report.title, x: Self.labelLeft, y: 24, size: 18, weight: 700, className: "chart-title"))
      body.append(SVGMarkup.text(report.subtitle, x: Self.labelLeft, y: 42, size: 11.5, fill: Self.muted))
      y = 54
    }
    let headerTop = y
    let gridTop = headerTop + Self.yearBandHeight + Self.monthBandHeight
    let laidOut = layout(rows: rows(), top: gridTop)
    let gridBottom = laidOut.bottom

    // Backgrounds first, then the month rules, then what is drawn on them.
    body.append(contentsOf: laidOut.backgrounds)
    let todayIndex = report.fiscalYear.contains(report.today) ? monthIndex(report.today) : nil
    if let todayIndex {
      body.append(
        SVGMarkup.rect(
          x: monthLeft(todayIndex), y: headerTop, width: Self.monthWidth, height: gridBottom - headerTop, fill: Self.todayFill,
          className: "today-month", opacity: 0.7))
    }
    body.append(header(top: headerTop, todayIndex: todayIndex))
    for index in 0...12 {
      let x = monthLeft(index)
      // The calendar year changes between December and January: a darker rule.
      let stroke = index == 9 ? "#7b8794" : Self.rule
      body.append(SVGMarkup.line(x1: x, y1: gridTop, x2: x, y2: gridBottom, stroke: stroke, width: index == 9 ? 1.2 : 0.8))
    }
    body.append(SVGMarkup.line(x1: 0, y1: gridBottom, x2: Self.width, y2: gridBottom, stroke: "#7b8794", width: 1))
    body.append(contentsOf: laidOut.content)

    var bottom = gridBottom
    if todayIndex != nil {
      let x = dayCentre(report.today)
      let label = report.today.day.map { "今日 \(report.today.month)/\($0)" } ?? "今月 \(report.today.month)月"
      // The badge stays inside the chart on March 31st and April 1st.
      let badgeX = min(max(x, Self.gridLeft + 34), Self.width - 35)
      body.append(
        "<g class=\"today-marker\">"
          + SVGMarkup.line(x1: x, y1: gridTop, x2: x, y2: gridBottom + 4, stroke: Self.todayStroke, width: 1.6)
          + SVGMarkup.rect(x: badgeX - 34, y: gridBottom + 4, width: 68, height: 17, fill: Self.todayStroke, radius: 3)
          + SVGMarkup.text(label, x: badgeX, y: gridBottom + 16.5, size: 11, fill: "#ffffff", weight: 700, anchor: .middle)
          + "</g>")
      bottom += 22
    }
    let legendTop = bottom + 10
    body.append(legend(top: legendTop))
    bottom = legendTop + 22
    for note in standalone ? report.schedule.footnotes : [] {
      for (number, line) in TextLayout.lines(note.mark + " " + note.text, maxWidth: Self.width - 2 * Self.labelLeft, fontSize: 11)
        .enumerated()
      {
        bottom += 15
        body.append(
          SVGMarkup.text(number == 0 ? line : "　" + line, x: Self.labelLeft, y: bottom, size: 11, fill: Self.muted, className: "footnote"))
      }
    }
    bottom += 10

    let label = report.title
    return SVGMarkup.open(width: Self.width, height: bottom, standalone: standalone, className: "schedule-chart", label: label)
      + "\n" + SVGMarkup.rect(x: 0, y: 0, width: Self.width, height: bottom, fill: "#ffffff") + "\n"
      + body.joined(separator: "\n") + "\n</svg>"
  }

  // MARK: Rows

  private func rows() -> [Row] {
    var rows: [Row] = []
    let programmes = report.schedule.programmes
    if !programmes.isEmpty {
      rows.append(.section("年間計画（事業）"))
      for name in programmes {
        rows.append(.programme(name: name, entries: report.schedule.entries.filter { $0.programme == name }))
      }
    }
    rows.append(.section("行事（予定・実績）\(report.events.count)件"))
    if report.events.isEmpty {
      rows.append(.empty("\(report.fiscalYear.japaneseName)の行事は登録されていません"))
    } else {
      rows += report.events.map(Row.event)
    }
    return rows
  }

  private struct Layout {
    var backgrounds: [String] = []
    var content: [String] = []
    var bottom: Double
  }

  private func layout(rows: [Row], top: Double) -> Layout {
    var result = Layout(bottom: top)
    var y = top
    var stripe = false
    for row in rows {
      switch row {
      case .section(let title):
        result.backgrounds.append(SVGMarkup.rect(x: 0, y: y, width: Self.width, height: Self.sectionHeight, fill: Self.bandFill))
        result.content.append(
          SVGMarkup.text("■ " + title, x: Self.labelLeft, y: y + 16.5, size: 12.5, fill: Self.headerFill, weight: 700, className: "section")
        )
        y += Self.sectionHeight
        stripe = false
      case .programme(let name, let entries):
        let drawn = programmeRow(name: name, entries: entries, top: y)
        result.backgrounds.append(rowBackground(top: y, height: drawn.height, striped: stripe))
        result.content.append(drawn.markup)
        y += drawn.height
        stripe.toggle()
      case .event(let event):
        let drawn = eventRow(event, top: y)
        result.backgrounds.append(rowBackground(top: y, height: drawn.height, striped: stripe))
        result.content.append(drawn.markup)
        y += drawn.height
        stripe.toggle()
      case .empty(let text):
        result.content.append(SVGMarkup.text(text, x: Self.labelLeft, y: y + 20, size: 12, fill: Self.muted, className: "empty"))
        y += 32
      }
    }
    result.bottom = y
    return result
  }

  private func rowBackground(top: Double, height: Double, striped: Bool) -> String {
    SVGMarkup.rect(x: 0, y: top, width: Self.width, height: height, fill: striped ? "#f5f7fa" : "#ffffff")
      + SVGMarkup.line(x1: 0, y1: top + height, x2: Self.width, y2: top + height, stroke: "#e4e7eb", width: 0.8)
  }

  /// Label lines (name, then smaller grey remarks) and the row height they need.
  private func labelBlock(name: String, nameSize: Double, remark: String, maxNameLines: Int, top: Double) -> (String, Double) {
    let nameLines = TextLayout.lines(name, maxWidth: Self.labelWidth, fontSize: nameSize, maxLines: maxNameLines)
    let remarkLines = remark.isEmpty ? [] : TextLayout.lines(remark, maxWidth: Self.labelWidth, fontSize: 10.5, maxLines: 2)
    var markup = ""
    var baseline = top + 8
    for line in nameLines {
      baseline += nameSize + 3
      markup += SVGMarkup.text(line, x: Self.labelLeft, y: baseline, size: nameSize, fill: Self.ink, className: "label")
    }
    for line in remarkLines {
      baseline += 14
      markup += SVGMarkup.text(line, x: Self.labelLeft, y: baseline, size: 10.5, fill: Self.muted, className: "remark")
    }
    return (markup, max(34, baseline - top + 9))
  }

  private func programmeRow(name: String, entries: [AnnualSchedule.Entry], top: Double) -> (markup: String, height: Double) {
    var marks: [String] = []
    var seen: Set<String> = []
    for note in entries.flatMap(\.footnotes) where seen.insert(note.mark).inserted { marks.append(note.mark) }
    let remark = entries.filter { $0.fixedDate == nil }.map(\.remark).filter { !$0.isEmpty }.joined(separator: " ")
    let (label, height) = labelBlock(name: name + marks.joined(), nameSize: 12.5, remark: remark, maxNameLines: 3, top: top)
    let middle = top + height / 2
    var markup =
      "<g class=\"row programme\">" + SVGMarkup.title(([name] + entries.map(\.note)).filter { !$0.isEmpty }.joined(separator: "\n"))
    markup += label
    for entry in entries {
      if let fixed = entry.fixedDate, report.fiscalYear.contains(fixed) {
        let x = dayCentre(fixed)
        markup += SVGMarkup.polygon(
          [(x, middle - 7), (x + 7, middle), (x, middle + 7), (x - 7, middle)], fill: Self.fixedFill, stroke: "#ffffff",
          strokeWidth: 1, className: "fixed-date")
        if !entry.remark.isEmpty {
          markup += SVGMarkup.text(
            entry.remark, x: x + 10, y: middle + 4, size: 11, fill: Self.fixedFill, weight: 700, className: "fixed-note")
        }
      } else {
        let first = max(0, monthIndex(entry.startMonth))
        let last = min(11, monthIndex(entry.endMonth))
        guard first <= last else { continue }
        markup += doubleArrow(from: monthLeft(first) + 4, to: monthLeft(last + 1) - 4, middle: middle)
      }
    }
    return (markup + "</g>", height)
  }

  /// `←→` as the source grid draws a programme's months: a bar with a head at each end.
  private func doubleArrow(from left: Double, to right: Double, middle y: Double, className: String = "span") -> String {
    let head = min(9, (right - left) / 3)
    return SVGMarkup.polygon(
      [
        (left, y), (left + head, y - 7), (left + head, y - 3.5), (right - head, y - 3.5), (right - head, y - 7), (right, y),
        (right - head, y + 7), (right - head, y + 3.5), (left + head, y + 3.5), (left + head, y + 7),
      ], fill: Self.programmeFill, stroke: Self.programmeStroke, strokeWidth: 1, className: className)
  }

  private func eventRow(_ event: Event, top: Double) -> (markup: String, height: Double) {
    let sub = [EventLabels.kind(event.kind), EventLabels.shortDates(of: event), EventLabels.status(event.status)]
      .joined(separator: "・")
    let (label, height) = labelBlock(name: event.title, nameSize: 12, remark: sub, maxNameLines: 2, top: top)
    let middle = top + height / 2
    let statusClass = EventLabels.statusClass(event.status)
    var tooltip = event.title + "\n" + EventLabels.dates(of: event) + "　" + EventLabels.status(event.status)
    if let venue = event.venue { tooltip += "\n" + venue }
    var markup = "<g class=\"row event \(statusClass)\">" + SVGMarkup.title(tooltip) + label
    guard let start = event.startsOn else {
      markup += SVGMarkup.text("日付未定", x: Self.gridLeft + 8, y: middle + 4, size: 11, fill: Self.muted, className: "undated")
      return (markup + "</g>", height)
    }
    let end = event.endsOn ?? start
    let left = max(Self.gridLeft, start.day == nil ? monthLeft(monthIndex(start)) : dayLeft(start))
    let right = min(Self.gridRight, end.day == nil ? monthLeft(monthIndex(end) + 1) : dayLeft(end) + dayWidth(end))
    guard left < right else {
      markup += SVGMarkup.text(
        "年度外（\(EventLabels.dates(of: event))）", x: Self.gridLeft + 8, y: middle + 4, size: 11, fill: Self.muted, className: "outside")
      return (markup + "</g>", height)
    }
    let isSingleDay = start.day != nil && end == start
    let style = EventMarkStyle(event.status)
    if isSingleDay {
      markup += style.mark(x: dayCentre(start), y: middle, className: "event-mark \(statusClass)")
      let labelX = dayCentre(start)
      let dayText = EventLabels.slashDates(from: start, to: end)
      if labelX > Self.gridRight - 44 {
        markup += SVGMarkup.text(dayText, x: labelX - 10, y: middle + 4, size: 10, fill: Self.muted, anchor: .end)
      } else {
        markup += SVGMarkup.text(dayText, x: labelX + 10, y: middle + 4, size: 10, fill: Self.muted)
      }
    } else {
      markup += style.bar(x: left, y: middle - 6, width: max(right - left, 4), height: 12, className: "event-mark \(statusClass)")
      // Days are too narrow to read off the grid: say which.
      if start.day != nil || end.day != nil {
        let text = EventLabels.slashDates(from: start, to: end)
        if right + 6 + TextLayout.width(text, fontSize: 10) < Self.gridRight {
          markup += SVGMarkup.text(text, x: right + 6, y: middle + 4, size: 10, fill: Self.muted)
        } else {
          markup += SVGMarkup.text(text, x: left - 6, y: middle + 4, size: 10, fill: Self.muted, anchor: .end)
        }
      }
    }
    return (markup + "</g>", height)
  }

  // MARK: Header and legend

  private func header(top: Double, todayIndex: Int?) -> String {
    let monthTop = top + Self.yearBandHeight
    var markup = "<g class=\"header\">"
    markup += SVGMarkup.rect(x: 0, y: top, width: Self.width, height: Self.yearBandHeight, fill: Self.bandFill)
    markup += SVGMarkup.rect(x: 0, y: monthTop, width: Self.width, height: Self.monthBandHeight, fill: Self.headerFill)
    let year = report.fiscalYear.startYear
    markup += SVGMarkup.text("\(year)年", x: (monthLeft(0) + monthLeft(9)) / 2, y: top + 13, size: 11, fill: Self.muted, anchor: .middle)
    markup += SVGMarkup.text(
      "\(year + 1)年", x: (monthLeft(9) + monthLeft(12)) / 2, y: top + 13, size: 11, fill: Self.muted, anchor: .middle)
    markup += SVGMarkup.line(x1: monthLeft(9), y1: top, x2: monthLeft(9), y2: monthTop, stroke: "#7b8794", width: 1.2)
    markup += SVGMarkup.text("事業・行事", x: Self.labelLeft, y: monthTop + 16.5, size: 12.5, fill: "#ffffff", weight: 700)
    for index in 0..<12 {
      let month = (index + 3) % 12 + 1
      let centre = monthLeft(index) + Self.monthWidth / 2
      if index == todayIndex {
        markup += SVGMarkup.rect(
          x: monthLeft(index), y: monthTop, width: Self.monthWidth, height: Self.monthBandHeight, fill: "#f6c343",
          className: "today-month-header")
        markup += SVGMarkup.text("\(month)月", x: centre, y: monthTop + 16.5, size: 12.5, fill: Self.ink, weight: 700, anchor: .middle)
      } else {
        markup += SVGMarkup.text("\(month)月", x: centre, y: monthTop + 16.5, size: 12.5, fill: "#ffffff", weight: 700, anchor: .middle)
      }
    }
    return markup + "</g>"
  }

  private func legend(top: Double) -> String {
    var markup = "<g class=\"legend\">"
    var x = Self.labelLeft
    let middle = top + 8
    func item(_ symbol: String, _ text: String, symbolWidth: Double) {
      markup += symbol
      markup += SVGMarkup.text(text, x: x + symbolWidth + 5, y: middle + 4, size: 11, fill: Self.ink)
      x += symbolWidth + 5 + TextLayout.width(text, fontSize: 11) + 18
    }
    item(doubleArrow(from: x, to: x + 34, middle: middle, className: "legend-span"), "実施期間（年間計画）", symbolWidth: 34)
    item(
      SVGMarkup.polygon(
        [(x + 7, middle - 7), (x + 14, middle), (x + 7, middle + 7), (x, middle)], fill: Self.fixedFill, className: "legend-fixed-date"),
      "開催日（年間計画）", symbolWidth: 14)
    for status in EventStatus.allCases {
      let style = EventMarkStyle(status)
      item(
        style.mark(x: x + 7, y: middle, className: "legend-mark \(EventLabels.statusClass(status))"),
        "行事 " + EventLabels.status(status), symbolWidth: 14)
    }
    item(
      EventMarkStyle(.planned).bar(x: x, y: middle - 5, width: 30, height: 10, className: "legend-mark"), "複数日・月単位の行事",
      symbolWidth: 30)
    if report.fiscalYear.contains(report.today) {
      item(
        SVGMarkup.line(x1: x + 5, y1: middle - 8, x2: x + 5, y2: middle + 8, stroke: Self.todayStroke, width: 1.6)
          + SVGMarkup.rect(x: x + 9, y: middle - 8, width: 14, height: 16, fill: Self.todayFill), "今日・今月", symbolWidth: 23)
    }
    return markup + "</g>"
  }

  // MARK: Geometry

  /// Months from April of the fiscal year: April is 0, March 11; outside the year, beyond.
  private func monthIndex(_ date: RecordDate) -> Int { (date.year - report.fiscalYear.startYear) * 12 + date.month - 4 }

  private func monthLeft(_ index: Int) -> Double { Self.gridLeft + Double(index) * Self.monthWidth }

  private func dayWidth(_ date: RecordDate) -> Double { Self.monthWidth / Double(Self.daysIn(year: date.year, month: date.month)) }

  private func dayLeft(_ date: RecordDate) -> Double { monthLeft(monthIndex(date)) + Double((date.day ?? 1) - 1) * dayWidth(date) }

  /// The middle of the date's day, or of its month for a month-precision date.
  private func dayCentre(_ date: RecordDate) -> Double {
    guard date.day != nil else { return monthLeft(monthIndex(date)) + Self.monthWidth / 2 }
    return dayLeft(date) + dayWidth(date) / 2
  }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

/// How an event's status is drawn: held solid green, planned hollow blue, postponed a dashed
/// orange diamond, cancelled a grey cross. Shapes differ as well as colours, so a page
/// printed in black and white still tells them apart.
struct EventMarkStyle {
  let status: EventStatus

  init(_ status: EventStatus) { self.status = status }

  func mark(x: Double, y: Double, className: String) -> String {
    switch status {
    case .held:
      return SVGMarkup.circle(x: x, y: y, radius: 6, fill: "#2e7d4f", stroke: "#1d5234", strokeWidth: 1, className: className)
    case .planned:
      return SVGMarkup.circle(x: x, y: y, radius: 5.5, fill: "#ffffff", stroke: "#2f6db5", strokeWidth: 2.2, className: className)
    case .postponed:
      return SVGMarkup.polygon(
        [(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)], fill: "#fde7d2", stroke: "#d9782d", strokeWidth: 1.8, dash: "3 2",
        className: className)
    case .cancelled:
      return "<g class=\"\(className)\">"
        + SVGMarkup.line(x1: x - 5, y1: y - 5, x2: x + 5, y2: y + 5, stroke: "#7b8794", width: 2.2)
        + SVGMarkup.line(x1: x - 5, y1: y + 5, x2: x + 5, y2: y - 5, stroke: "#7b8794", width: 2.2) + "</g>"
    }
  }

  func bar(x: Double, y: Double, width: Double, height: Double, className: String) -> String {
    switch status {
    case .held:
      return SVGMarkup.rect(
        x: x, y: y, width: width, height: height, fill: "#2e7d4f", stroke: "#1d5234", radius: 3, className: className)
    case .planned:
      return SVGMarkup.rect(
        x: x, y: y, width: width, height: height, fill: "#ffffff", stroke: "#2f6db5", strokeWidth: 2, radius: 3, className: className)
    case .postponed:
      return SVGMarkup.rect(
        x: x, y: y, width: width, height: height, fill: "#fde7d2", stroke: "#d9782d", strokeWidth: 1.8, dash: "4 2", radius: 3,
        className: className)
    case .cancelled:
      return "<g class=\"\(className)\">"
        + SVGMarkup.rect(x: x, y: y, width: width, height: height, fill: "#eceff1", stroke: "#9aa5b1", radius: 3)
        + SVGMarkup.line(x1: x, y1: y + height / 2, x2: x + width, y2: y + height / 2, stroke: "#7b8794", width: 1.5) + "</g>"
    }
  }
}
