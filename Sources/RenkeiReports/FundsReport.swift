import RenkeiCore

/// The fiscal year's funds compared across prefectures: for each programme, a bar per
/// prefecture of the decided amount, what was executed and the balance that remains, with
/// the figures and their totals in a table beneath. The page `renkei report funds` writes
/// and the hub serves at `/reports/funds`.
///
/// Figures are ``FundBalance/compute(_:fiscalYear:)``'s, so they agree to the yen with
/// `renkei fund balance`: corrections count with the entry they correct, balance surveys
/// are shown beside the computed balance and never added in.
///
/// A pure function of its inputs: nothing is read or written.
///
/// ```swift
/// let report = FundsReport(fiscalYear: FiscalYear(2023), entries: entries, bureau: Bureau.named("kanto-shinetsu"))
/// let page = report.html()
/// let chart = report.svg()
/// ```
public struct FundsReport: Sendable {
  /// One scope's figures for one programme, in yen.
  public struct Figures: Sendable, Hashable {
    /// The prefecture or bureau; nil for a programme's total.
    public var scope: Scope?
    /// Decisions and determinations (交付決定額), corrections applied.
    public var decided: Int64
    /// Deposits and interest (積立・運用益).
    public var added: Int64
    public var executed: Int64
    /// `decided + added - executed`.
    public var balance: Int64
    /// The balance the latest survey reported, if any.
    public var surveyed: Int64?
    /// False for a prefecture of the bureau with no entry in the programme this year.
    public var hasEntries: Bool

    /// The share of the available money executed, in tenths of a percent; nil when nothing
    /// was available.
    public var executionPermille: Int64? {
      let available = decided + added
      guard available > 0 else { return nil }
      return (executed * 1000 + available / 2) / available
    }
  }

  public var fiscalYear: FiscalYear
  /// The balances of `fiscalYear`, one per scope and programme.
  public var balances: [FundBalance]
  /// The bureau compared: every one of its prefectures gets a row, with or without entries.
  public var bureau: Bureau?
  /// The date the figures stand at, printed as `…現在`.
  public var asOf: RecordDate?

  /// - Parameters:
  ///   - fiscalYear: the year the money concerns.
  ///   - entries: fund ledger entries of any year; only `fiscalYear`'s count (a correction
  ///     counts in the year of the entry it corrects).
  ///   - bureau: when given, every prefecture of the bureau is shown in each programme that
  ///     prefectures keep, and the bureau is named in the title.
  ///   - asOf: the date the figures stand at.
  public init(fiscalYear: FiscalYear, entries: [FundEntry], bureau: Bureau? = nil, asOf: RecordDate? = nil) {
    self.fiscalYear = fiscalYear
    self.balances = FundBalance.compute(entries, fiscalYear: fiscalYear)
    self.bureau = bureau
    self.asOf = asOf
  }

  /// The programmes with entries this year: those prefectures keep first, as the ones to
  /// compare, then those the bureau alone keeps; each group in the order of their names.
  public var programmes: [String] {
    let keptByPrefectures = Set(balances.filter { if case .prefecture = $0.scope { return true } else { return false } }.map(\.programme))
    return Array(Set(balances.map(\.programme))).sorted { lhs, rhs in
      let (left, right) = (keptByPrefectures.contains(lhs), keptByPrefectures.contains(rhs))
      return left != right ? left : lhs < rhs
    }
  }

  /// Each scope's figures for `programme`: prefectures in JIS order, then bureaus. When a
  /// bureau is given, a programme that any prefecture keeps lists all the bureau's
  /// prefectures, those without entries marked as such.
  public func figures(for programme: String) -> [Figures] {
    var byScope: [Scope: FundBalance] = [:]
    for balance in balances where balance.programme == programme { byScope[balance.scope] = balance }
    var scopes = Set(byScope.keys)
    // A programme kept only at the bureau (a national budget line) has no prefecture rows
    // to compare; one that prefectures keep shows all of them, with entries or without.
    let keptByPrefectures = scopes.contains { if case .prefecture = $0 { return true } else { return false } }
    if let bureau, keptByPrefectures { scopes.formUnion(bureau.prefectures.map(Scope.prefecture)) }
    return scopes.sorted(by: Self.displayOrder).map { scope in
      guard let balance = byScope[scope] else {
        return Figures(scope: scope, decided: 0, added: 0, executed: 0, balance: 0, surveyed: nil, hasEntries: false)
      }
      return Figures(
        scope: scope, decided: balance.decided, added: balance.deposited + balance.interest, executed: balance.executed,
        balance: balance.balance, surveyed: balance.surveyed, hasEntries: true)
    }
  }

  /// The sums of `figures(for: programme)`, with no scope.
  public func total(for programme: String) -> Figures {
    let rows = figures(for: programme)
    return Figures(
      scope: nil, decided: rows.reduce(0) { $0 + $1.decided },
      added: rows.reduce(0) { $0 + $1.added }, executed: rows.reduce(0) { $0 + $1.executed },
      balance: rows.reduce(0) { $0 + $1.balance }, surveyed: nil, hasEntries: rows.contains(where: \.hasEntries))
  }

  /// `令和5年度 関東信越厚生局 基金・交付金の執行状況`.
  public var title: String {
    [fiscalYear.japaneseName, bureau?.nameJa, "基金・交付金の執行状況"].compactMap { $0 }.joined(separator: " ")
  }

  /// `FY2023（2023年4月〜2024年3月）　都県別 交付決定額・執行額・残高　2024年1月15日現在`.
  public var subtitle: String {
    var text = "FY\(fiscalYear.startYear)（\(ReportPage.span(of: fiscalYear))）　都県別 交付決定額・執行額・残高"
    if let asOf { text += "　\(ReportPage.japaneseDate(asOf))現在" }
    return text
  }

  /// The name a scope is shown by: `埼玉県`, `関東信越厚生局`.
  static func name(of scope: Scope) -> String {
    switch scope {
    case .prefecture(let prefecture): return prefecture.nameJa
    case .bureau(let bureau): return bureau.nameJa
    }
  }

  private static func displayOrder(_ lhs: Scope, _ rhs: Scope) -> Bool {
    switch (lhs, rhs) {
    case (.prefecture(let left), .prefecture(let right)): return left.code < right.code
    case (.prefecture, .bureau): return true
    case (.bureau, .prefecture): return false
    case (.bureau(let left), .bureau(let right)): return left.id < right.id
    }
  }

  /// The charts alone, one panel per programme under the report's title, as a standalone
  /// SVG document sized to print across A4 landscape (275 mm wide).
  public func svg() -> String {
    var panels: [String] = []
    var y = 58.0
    for programme in programmes {
      let panel = FundsChart(report: self, programme: programme)
      panels.append("<g transform=\"translate(0 \(SVGMarkup.number(y)))\">" + panel.body(withTitle: true) + "</g>")
      y += panel.height(withTitle: true) + 16
    }
    if programmes.isEmpty {
      panels.append(SVGMarkup.text(emptyMessage, x: 12, y: y + 16, size: 13, fill: FundsChart.muted, className: "empty"))
      y += 30
    }
    return SVGMarkup.open(width: FundsChart.width, height: y, standalone: true, className: "funds-chart", label: title) + "\n"
      + SVGMarkup.rect(x: 0, y: 0, width: FundsChart.width, height: y, fill: "#ffffff") + "\n"
      + SVGMarkup.text(title, x: 12, y: 24, size: 18, weight: 700, className: "chart-title") + "\n"
      + SVGMarkup.text(subtitle, x: 12, y: 42, size: 11.5, fill: FundsChart.muted) + "\n"
      + panels.joined(separator: "\n") + "\n</svg>"
  }

  /// The whole page: a summary of every programme, then per programme its chart and a table
  /// of each prefecture's figures with the totals.
  public func html() -> String {
    guard !programmes.isEmpty else {
      return ReportPage.document(title: title, subtitle: subtitle, body: "<p class=\"empty\">\(HTMLText.escape(emptyMessage))</p>\n")
    }
    // The printed page travels without the ledger's documentation: it says how its figures are reached.
    var body = summaryTable()
    body += "<ul class=\"notes definitions\">\n<li>残高＝交付決定額＋積立・運用益−執行額（訂正を反映）。</li>\n"
    body += "<li>執行率＝執行額÷（交付決定額＋積立・運用益）。</li>\n"
    body += "<li>残高調査（報告）は残高に加えていません。都県が報告した残高として並べて示します。</li>\n</ul>\n"
    for programme in programmes {
      let chart = FundsChart(report: self, programme: programme)
      body += "<section class=\"programme\">\n<h2>\(HTMLText.escape(programme))</h2>\n"
      body += "<figure class=\"funds\">\n"
      body += SVGMarkup.open(
        width: FundsChart.width, height: chart.height(withTitle: false), standalone: false, className: "funds-chart",
        label: programme)
      body += chart.body(withTitle: false) + "</svg>\n</figure>\n"
      body += figuresTable(programme)
      body += "</section>\n"
    }
    return ReportPage.document(title: title, subtitle: subtitle, body: body)
  }

  private var emptyMessage: String { "\(fiscalYear.japaneseName)の基金・交付金の記録はありません。" }

  private func summaryTable() -> String {
    var html = "<table class=\"summary\">\n<caption>事業別の合計</caption>\n<thead><tr><th>事業</th><th class=\"num\">記録のある都県</th>"
    html += "<th class=\"num\">交付決定額</th><th class=\"num\">積立・運用益</th><th class=\"num\">執行額</th><th class=\"num\">残高</th>"
    html += "<th class=\"num rate\">執行率</th></tr></thead>\n<tbody>\n"
    for programme in programmes {
      let total = total(for: programme)
      // The column counts prefectures (都県); the bureau's own line, when it has one, is not one of them.
      let count = figures(for: programme).filter { row in
        guard row.hasEntries, case .prefecture? = row.scope else { return false }
        return true
      }.count
      html += "<tr class=\"programme-total\"><th scope=\"row\">\(HTMLText.escape(programme))</th><td class=\"num\">\(count)</td>"
      html += amountCells(total) + "</tr>\n"
    }
    return html + "</tbody>\n</table>\n"
  }

  private func figuresTable(_ programme: String) -> String {
    let rows = figures(for: programme)
    let showsSurveys = rows.contains { $0.surveyed != nil }
    var html = "<table class=\"figures\">\n<thead><tr><th>都県</th><th class=\"num\">交付決定額</th><th class=\"num\">積立・運用益</th>"
    html += "<th class=\"num\">執行額</th><th class=\"num\">残高</th><th class=\"num rate\">執行率</th>"
    if showsSurveys { html += "<th class=\"num\">残高調査（報告）</th>" }
    html += "</tr></thead>\n<tbody>\n"
    for row in rows {
      html += "<tr class=\"scope\" data-scope=\"\(HTMLText.escape(row.scope?.rawValue ?? ""))\"><th scope=\"row\">"
      html += HTMLText.escape(row.scope.map(Self.name(of:)) ?? "") + (row.hasEntries ? "" : " <span class=\"approx\">（記録なし）</span>")
      html += "</th>" + amountCells(row)
      if showsSurveys { html += row.surveyed.map(amountCell) ?? "<td class=\"num\"></td>" }
      html += "</tr>\n"
    }
    // The total is the last row of the body, not a <tfoot>: printed, a footer repeats at
    // the foot of every page, which would show the total under half the prefectures.
    html += "<tr class=\"total\"><th scope=\"row\">合計</th>" + amountCells(total(for: programme))
    if showsSurveys { html += "<td class=\"num\"></td>" }
    html += "</tr>\n</tbody>\n</table>\n"
    let unattributed = balances.filter { $0.programme == programme }.flatMap(\.unattributed)
    if !unattributed.isEmpty {
      html += "<ul class=\"notes warning\">\n"
      for item in unattributed {
        html += "<li>未計上の訂正 \(HTMLText.escape(item.correction.id.rawValue))（\(HTMLText.escape(Self.name(of: item.correction.scope)))、"
        html += "\(YenText.full(item.correction.amount))）: \(HTMLText.escape(item.reason))</li>\n"
      }
      html += "</ul>\n"
    }
    return html
  }

  private func amountCells(_ figures: Figures) -> String {
    [figures.decided, figures.added, figures.executed, figures.balance].map(amountCell).joined()
      + "<td class=\"num rate\">\(figures.executionPermille.map(Self.percent) ?? "—")</td>"
  }

  /// `87.5%` from 875 tenths of a percent.
  static func percent(_ permille: Int64) -> String {
    (permille < 0 ? "-" : "") + "\(permille.magnitude / 10).\(permille.magnitude % 10)%"
  }

  /// A cell showing the exact yen, with the rounded amount beside it when large. The exact
  /// figure is also in `data-yen`, for anyone checking the page against the ledger.
  private func amountCell(_ yen: Int64) -> String {
    var cell = "<td class=\"num\" data-yen=\"\(yen)\">\(YenText.full(yen))"
    if yen.magnitude >= 10_000 { cell += " <span class=\"approx\">(\(YenText.approximate(yen)))</span>" }
    return cell + "</td>"
  }
}
