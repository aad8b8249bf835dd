import RenkeiCore

/// Draws one programme of a ``FundsReport``: a row per prefecture with three bars — decided,
/// executed, balance — on one scale, so prefectures compare at a glance.
struct FundsChart {
  let report: FundsReport
  let programme: String

  static let width = 1040.0
  static let labelLeft = 12.0
  static let chartLeft = 150.0
  static let chartRight = 930.0
  static let rowHeight = 30.0
  static let barHeight = 6.5
  static let muted = "#52606d"

  /// The three measures, in the order drawn, with their colours.
  static let measures: [(name: String, className: String, colour: String)] = [
    ("交付決定額", "bar-decided", "#2f5d9e"), ("執行額", "bar-executed", "#e07b39"), ("残高", "bar-balance", "#3a8a5a"),
  ]
  static let negativeColour = "#c53030"

  private var rows: [FundsReport.Figures] { report.figures(for: programme) }

  private var titleHeight: Double { 26 }
  private let legendHeight = 24.0
  private let axisHeight = 18.0

  func height(withTitle: Bool) -> Double {
    (withTitle ? titleHeight : 0) + legendHeight + axisHeight + Double(rows.count) * Self.rowHeight + 8
  }

  /// The panel's elements, drawn from y = 0 down, to be placed inside an `<svg>` or `<g>`.
  func body(withTitle: Bool) -> String {
    let rows = self.rows
    let scale = Scale(values: rows.flatMap { [$0.decided, $0.executed, $0.balance] + ($0.surveyed.map { [$0] } ?? []) })
    var markup: [String] = ["<g class=\"panel\">"]
    var y = 0.0
    if withTitle {
      markup.append(
        SVGMarkup.text("■ " + programme, x: Self.labelLeft, y: y + 18, size: 14, fill: "#1f4e8c", weight: 700, className: "programme"))
      y += titleHeight
    }

    // Legend.
    var x = Self.chartLeft
    for measure in Self.measures {
      markup.append(SVGMarkup.rect(x: x, y: y + 6, width: 14, height: 10, fill: measure.colour, className: "legend \(measure.className)"))
      markup.append(SVGMarkup.text(measure.name, x: x + 19, y: y + 15, size: 11.5, fill: "#1f2933"))
      x += 19 + TextLayout.width(measure.name, fontSize: 11.5) + 22
    }
    if rows.contains(where: { $0.surveyed != nil }) {
      markup.append(SVGMarkup.line(x1: x + 6, y1: y + 3, x2: x + 6, y2: y + 19, stroke: "#1f2933", width: 2.2))
      markup.append(SVGMarkup.text("残高調査（報告値）", x: x + 14, y: y + 15, size: 11.5, fill: "#1f2933"))
    }
    markup.append(
      SVGMarkup.text("目盛: 万円・億円（数値は概数、正確な額は表を参照）", x: Self.chartRight + 80, y: y + 15, size: 10, fill: Self.muted, anchor: .end))
    y += legendHeight

    // Axis: tick labels above, grid lines through every row.
    let rowsTop = y + axisHeight
    let rowsBottom = rowsTop + Double(rows.count) * Self.rowHeight
    for index in rows.indices where index % 2 == 1 {
      markup.append(
        SVGMarkup.rect(x: 0, y: rowsTop + Double(index) * Self.rowHeight, width: Self.width, height: Self.rowHeight, fill: "#f5f7fa"))
    }
    for tick in scale.ticks {
      let tickX = scale.x(tick)
      markup.append(
        SVGMarkup.line(
          x1: tickX, y1: rowsTop - 3, x2: tickX, y2: rowsBottom, stroke: tick == 0 ? "#52606d" : "#d5dbe1", width: tick == 0 ? 1.2 : 0.8,
          className: "tick"))
      markup.append(SVGMarkup.text(Self.tickLabel(tick), x: tickX, y: rowsTop - 6, size: 10, fill: Self.muted, anchor: .middle))
    }

    for (index, row) in rows.enumerated() {
      let top = rowsTop + Double(index) * Self.rowHeight
      let name = row.scope.map(FundsReport.name(of:)) ?? ""
      var group = "<g class=\"scope-row\">" + SVGMarkup.title(name + " " + programme)
      group += SVGMarkup.text(name, x: Self.labelLeft, y: top + Self.rowHeight / 2 + 4.5, size: 12.5, fill: "#1f2933", className: "scope")
      if !row.hasEntries {
        group += SVGMarkup.text("記録なし", x: scale.x(0) + 6, y: top + Self.rowHeight / 2 + 4, size: 11, fill: Self.muted)
      } else {
        for (number, value) in [row.decided, row.executed, row.balance].enumerated() {
          let measure = Self.measures[number]
          let barTop = top + 3.5 + Double(number) * (Self.barHeight + 1.5)
          let start = scale.x(min(0, value))
          let end = scale.x(max(0, value))
          let colour = value < 0 ? Self.negativeColour : measure.colour
          group += SVGMarkup.rect(
            x: start, y: barTop, width: max(end - start, value == 0 ? 0 : 1), height: Self.barHeight, fill: colour,
            className: "bar \(measure.className)")
          // A negative amount's label goes right of the axis, where the label column cannot be.
          group += SVGMarkup.text(
            YenText.approximate(value), x: end + 4, y: barTop + Self.barHeight - 0.3, size: 8.8,
            fill: value < 0 ? Self.negativeColour : "#3e4c59", className: "value")
        }
        if let surveyed = row.surveyed {
          let surveyX = scale.x(surveyed)
          let barTop = top + 3.5 + 2 * (Self.barHeight + 1.5)
          group += SVGMarkup.line(
            x1: surveyX, y1: barTop - 2, x2: surveyX, y2: barTop + Self.barHeight + 2, stroke: "#1f2933", width: 2.2,
            className: "survey-mark")
        }
      }
      markup.append(group + "</g>")
    }
    markup.append(SVGMarkup.line(x1: 0, y1: rowsBottom, x2: Self.width, y2: rowsBottom, stroke: "#9aa5b1", width: 0.8))
    markup.append("</g>")
    return markup.joined(separator: "\n")
  }

  /// A tick's amount without a needless decimal: `20億円` rather than `20.0億円`, but `1.5億円`.
  static func tickLabel(_ yen: Int64) -> String {
    let text = YenText.approximate(yen)
    return text.hasSuffix(".0億円") ? String(text.dropLast(4)) + "億円" : text
  }

  /// A linear scale from yen to x with round ticks (1, 2 or 5 times a power of ten) and
  /// zero always on it. The top is a tick; below zero the scale reaches only as far as the
  /// lowest amount needs, so one small overspend does not halve every bar.
  struct Scale {
    let low: Int64
    let high: Int64
    let step: Int64

    init(values: [Int64]) {
      let least = min(0, values.min() ?? 0)
      let most = max(0, values.max() ?? 0)
      let span = most - least
      let step = Self.roundStep(atLeast: span == 0 ? 2_000_000 : (span + 4) / 5)
      self.step = step
      low = least + least / 20
      high = max(step, (most + step - 1) / step * step)
    }

    /// The multiples of `step` from `low` to `high`, zero among them.
    var ticks: [Int64] {
      let first = low / step
      return (0...Int(high / step - first)).map { (first + Int64($0)) * step }
    }

    func x(_ yen: Int64) -> Double {
      FundsChart.chartLeft + Double(yen - low) / Double(high - low) * (FundsChart.chartRight - FundsChart.chartLeft)
    }

    /// The smallest of 1, 2 or 5 times a power of ten that is at least `minimum`.
    static func roundStep(atLeast minimum: Int64) -> Int64 {
      var power: Int64 = 1
      while power * 10 <= minimum { power *= 10 }
      for factor: Int64 in [1, 2, 5, 10] where power * factor >= minimum { return power * factor }
      return power * 10
    }
  }
}
