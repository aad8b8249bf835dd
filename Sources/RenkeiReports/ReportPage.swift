import RenkeiCore

/// The HTML page around a report: one self-contained file, no scripts, no fonts or images
/// fetched, laid out for the screen and for A4 landscape paper.
enum ReportPage {
  /// A whole document. `title` and `subtitle` are escaped here; `body` is markup.
  static func document(title: String, subtitle: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="ja">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="Renkei">
    <title>\(HTMLText.escape(title))</title>
    <style>
    \(stylesheet)
    </style>
    </head>
    <body>
    <header class="report-header">
    <h1>\(HTMLText.escape(title))</h1>
    <p class="subtitle">\(HTMLText.escape(subtitle))</p>
    </header>
    <main>
    \(body)
    </main>
    </body>
    </html>

    """
  }

  /// `2024年1月15日`, `2023年10月`.
  static func japaneseDate(_ date: RecordDate) -> String {
    "\(date.year)年\(date.month)月" + (date.day.map { "\($0)日" } ?? "")
  }

  /// `2023年4月〜2024年3月`: the months of a fiscal year.
  static func span(of year: FiscalYear) -> String {
    "\(year.startYear)年4月〜\(year.startYear + 1)年3月"
  }

  // A4 landscape is 297 × 210 mm; with 11 mm margins the content is 275 mm wide, which
  // is the width the charts' viewBoxes are drawn for (1040 units).
  static let stylesheet = """
    @page { size: A4 landscape; margin: 11mm; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body {
      margin: 0 auto; padding: 20px 24px 32px; max-width: 1100px;
      font-family: \(SVGMarkup.fontFamily.replacingQuotes);
      font-size: 13px; line-height: 1.55; color: #1f2933; background: #ffffff;
    }
    .report-header { border-bottom: 3px solid #1f4e8c; padding-bottom: 6px; margin-bottom: 14px; }
    h1 { font-size: 21px; margin: 0; letter-spacing: 0.02em; }
    h2 { font-size: 16px; margin: 22px 0 6px; padding-left: 8px; border-left: 5px solid #1f4e8c; }
    h3 { font-size: 13.5px; margin: 14px 0 4px; }
    .subtitle { margin: 2px 0 0; color: #52606d; font-size: 12px; }
    figure { margin: 8px 0 12px; }
    figure svg { display: block; width: 100%; height: auto; }
    figcaption { font-size: 11px; color: #52606d; margin-top: 2px; }
    table { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0 10px; }
    caption { text-align: left; font-weight: bold; padding: 2px 0 4px; }
    th, td { border: 1px solid #c5ccd3; padding: 3px 7px; vertical-align: top; }
    thead th { background: #e9eef4; font-weight: bold; text-align: center; white-space: nowrap; }
    tbody tr:nth-child(even) > * { background: #f8fafc; }
    td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    td.date { white-space: nowrap; }
    td .approx { color: #52606d; font-size: 11px; }
    /* The summary's columns are narrow: the rounded amount goes under the exact one. */
    table.summary td .approx { display: block; }
    tbody tr.total > * { font-weight: bold; background: #edf2f7; border-top: 2px solid #52606d; }
    .notes { font-size: 12px; margin: 4px 0 12px; padding-left: 0; list-style: none; }
    .notes li { margin: 1px 0; }
    .warning { color: #9b2c2c; }
    .empty { color: #52606d; font-style: italic; }
    span.status { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11px; white-space: nowrap; border: 1px solid; }
    span.status-held { background: #2e7d4f; border-color: #2e7d4f; color: #ffffff; }
    span.status-planned { background: #ffffff; border-color: #2f6db5; color: #1f4e8c; }
    span.status-postponed { background: #fde7d2; border-color: #d9782d; color: #8a4513; border-style: dashed; }
    span.status-cancelled { background: #eceff1; border-color: #9aa5b1; color: #52606d; text-decoration: line-through; }
    table.summary, table.figures { table-layout: fixed; }
    table.summary th:first-child { width: 25%; }
    table.summary th:nth-child(2) { width: 9%; }
    table.figures th:first-child { width: 14%; }
    th.rate, td.rate { width: 7%; }
    tbody th, tfoot th { text-align: left; }
    tbody th { font-weight: normal; }
    table.event-list td.date { width: 15%; }
    section.programme { margin-top: 10px; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10pt; }
      * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
      .report-header { margin-bottom: 8px; }
      h2 { break-after: avoid; }
      figure, table.summary, tr { break-inside: avoid; }
      thead { display: table-header-group; }
      body { line-height: 1.4; }
      table { font-size: 8.5pt; }
      th, td { padding: 1px 5px; }
      td .approx { font-size: 7.5pt; }
      h2 { margin-top: 0; }
      section.programme { break-before: page; }
    }
    """
}

extension String {
  /// The font list with double quotes, for CSS in a `<style>` element.
  fileprivate var replacingQuotes: String {
    String(map { $0 == "'" ? "\"" : $0 })
  }
}
