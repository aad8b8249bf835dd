import Foundation
import RenkeiCore
import Testing

@testable import RenkeiReports

/// Opens each report in headless Chromium: the page must render (not blank), log nothing
/// to the console, and print on A4 landscape. The screenshots, PDFs and pages are left in
/// the output folder (printed by each test) for a person to look at.
///
/// Skipped where Chromium is missing; `.ci/run` installs Debian's `chromium`.
// Serialized: each Chromium is several processes, and a small CI machine runs one at a time
// faster than three that compete.
@Suite(.serialized, .enabled(if: Chromium.installed != nil, "Chromium is not installed: apt-get install chromium"))
struct ReportBrowserTests {
  /// `<package>/.build/test-output/RenkeiReportsTests/`, or `$RENKEI_TEST_OUTPUT`.
  static let outputDirectory: URL = {
    if let configured = ProcessInfo.processInfo.environment["RENKEI_TEST_OUTPUT"], !configured.isEmpty {
      return URL(fileURLWithPath: configured, isDirectory: true)
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent(".build/test-output/RenkeiReportsTests", isDirectory: true)
  }()

  static func folder(_ name: String) throws -> URL {
    let folder = outputDirectory.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func scheduleReport(extraEvents: [Event] = []) throws -> ScheduleReport {
    ScheduleReport(
      fiscalYear: FiscalYear(2023), schedule: try ExampleData.annualSchedule(), events: try ExampleData.events() + extraEvents,
      today: try RecordDate(iso: "2024-01-15"), bureau: ExampleData.kantoShinetsu)
  }

  static func fundsReport() throws -> FundsReport {
    FundsReport(
      fiscalYear: FiscalYear(2023), entries: try FundFixture.entries(), bureau: ExampleData.kantoShinetsu,
      asOf: try RecordDate(iso: "2024-03-31"))
  }

  @Test func theScheduleRendersInChromium() throws {
    let report = try Self.scheduleReport()
    try Self.check(name: "schedule", html: report.html(), svg: report.svg(), expecting: ["令和5年度", "地域包括ケア推進都県協議会", "事例研究会"])
  }

  /// The same page with an event of every status, to see the marks side by side.
  @Test func theScheduleWithEveryStatusRendersInChromium() throws {
    let extra = [
      try ScheduleReportTests.event("b-held", "地域包括ケア応援セミナー（見本）", from: "2023-07-12", status: .held, venue: "さいたま新都心合同庁舎1号館講堂"),
      try ScheduleReportTests.event(
        "b-span", "地域づくり加速化事業 ブロック研修会（見本）", kind: .training, from: "2023-11-15", to: "2023-11-16", status: .held),
      try ScheduleReportTests.event("b-postponed", "都県協議会分科会（見本）", kind: .subcommittee, from: "2023-09-21", status: .postponed),
      try ScheduleReportTests.event("b-planned", "事例研究会（見本）", kind: .caseStudy, from: "2024-02-08", status: .planned),
      try ScheduleReportTests.event("b-cancelled", "意見交換会（見本）", kind: .exchange, from: "2023-12-05", status: .cancelled),
      try ScheduleReportTests.event("b-month", "都県ヒアリング（見本）", kind: .hearing, from: "2023-10", to: "2023-11", status: .planned),
    ]
    let report = try Self.scheduleReport(extraEvents: extra)
    try Self.check(name: "schedule-statuses", html: report.html(), svg: report.svg(), expecting: ["延期", "開催済", "中止"])
  }

  @Test func theFundsReportRendersInChromium() throws {
    let report = try Self.fundsReport()
    try Self.check(name: "funds", html: report.html(), svg: report.svg(), expecting: ["令和5年度", "埼玉県", "合計", "地域支援事業交付金"])
  }

  /// The console check must catch what it is there to catch: a page with a script error.
  @Test func aConsoleErrorIsDetected() throws {
    let folder = try Self.folder("console-check")
    let page = folder.appendingPathComponent("broken.html")
    try "<!DOCTYPE html><html><body><p>x</p><script>console.error('broken'); missingFunction();</script></body></html>"
      .write(to: page, atomically: true, encoding: .utf8)
    let run = try #require(Chromium.installed).run(["--dump-dom"], page: page, name: "broken", in: folder)
    #expect(run.consoleLines.contains { $0.contains("missingFunction") }, "Chromium's console log was not seen:\n\(run.stderr)")
  }

  /// Writes the page and the chart, then in Chromium screenshots the page, prints it to PDF
  /// and dumps its DOM in one run, and screenshots the chart alone in another; checks each.
  static func check(
    name: String, html: String, svg: String, expecting texts: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let chromium = try #require(Chromium.installed)
    // A fresh folder each run, so nothing left from an earlier run passes for this one's.
    try? FileManager.default.removeItem(at: outputDirectory.appendingPathComponent(name, isDirectory: true))
    let folder = try folder(name)
    let page = folder.appendingPathComponent("\(name).html")
    let chart = folder.appendingPathComponent("\(name).svg")
    let screenshot = folder.appendingPathComponent("\(name).png")
    let pdf = folder.appendingPathComponent("\(name).pdf")
    let chartShot = folder.appendingPathComponent("\(name)-chart.png")
    try html.write(to: page, atomically: true, encoding: .utf8)
    try svg.write(to: chart, atomically: true, encoding: .utf8)
    print("\(name): screenshots \(screenshot.path) and \(chartShot.path), PDF \(pdf.path)")

    let run = try chromium.run(
      ["--screenshot=\(screenshot.path)", "--window-size=1600,1100", "--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer", "--dump-dom"],
      page: page, name: "\(name)-chromium", in: folder)
    #expect(run.status == 0, "chromium exited with \(run.status):\n\(run.stderr.suffix(2000))", sourceLocation: sourceLocation)
    #expect(
      run.consoleLines.isEmpty, "the page logged to the console:\n\(run.consoleLines.joined(separator: "\n"))",
      sourceLocation: sourceLocation)

    // On screen: the window's size, not blank.
    try expectRendered(screenshot, width: 1600, height: 1100, sourceLocation: sourceLocation)

    // The DOM Chromium built: the texts are there and nothing was injected.
    try run.stdout.write(to: folder.appendingPathComponent("\(name)-dom.html"), atomically: true, encoding: .utf8)
    #expect(run.stdout.contains("<svg"), "no SVG in the rendered page", sourceLocation: sourceLocation)
    for text in texts { #expect(run.stdout.contains(text), "\(text) is not in the rendered page", sourceLocation: sourceLocation) }
    #expect(!run.stdout.contains("<script"), sourceLocation: sourceLocation)

    // On paper: every page A4 landscape.
    let pdfData = try #require(FileManager.default.contents(atPath: pdf.path), "no PDF at \(pdf.path)", sourceLocation: sourceLocation)
    #expect(pdfData.starts(with: Array("%PDF".utf8)), sourceLocation: sourceLocation)
    let pdfText = String(decoding: pdfData, as: UTF8.self)
    let boxes = pdfText.matches(of: /\/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]/).map { (Double($0.1)!, Double($0.2)!) }
    #expect(!boxes.isEmpty, "no page sizes found in the PDF", sourceLocation: sourceLocation)
    for (width, height) in boxes {
      // A4 landscape: 297 × 210 mm = 841.9 × 595.3 points.
      #expect(
        abs(width - 841.9) < 2 && abs(height - 595.3) < 2, "a page is \(width) × \(height) pt, not A4 landscape",
        sourceLocation: sourceLocation)
    }

    // The chart alone, as the file `--svg` writes: drawn as SVG, not shown as XML text.
    let chartRun = try chromium.run(
      ["--screenshot=\(chartShot.path)", "--window-size=1100,900", "--dump-dom"], page: chart, name: "\(name)-chart-chromium", in: folder)
    #expect(chartRun.status == 0, sourceLocation: sourceLocation)
    #expect(chartRun.consoleLines.isEmpty, sourceLocation: sourceLocation)
    try expectRendered(chartShot, width: 1100, height: 900, sourceLocation: sourceLocation)
    #expect(chartRun.stdout.contains("<svg"), sourceLocation: sourceLocation)
    #expect(
      !chartRun.stdout.contains("error on line"), "the SVG is not well-formed XML:\n\(chartRun.stdout.prefix(800))",
      sourceLocation: sourceLocation)
    #expect(!chartRun.stdout.contains("does not appear to have any style information"), sourceLocation: sourceLocation)
  }

  /// The screenshot exists, has the window's size and is not blank: a fair share of the
  /// pixels are not background, in many colours (text, bars, marks).
  static func expectRendered(_ file: URL, width: Int, height: Int, sourceLocation: SourceLocation) throws {
    let data = try #require(
      FileManager.default.contents(atPath: file.path), "no screenshot at \(file.path)", sourceLocation: sourceLocation)
    #expect(data.count > 20_000, "the screenshot is only \(data.count) bytes", sourceLocation: sourceLocation)
    let image = try PNGImage(data: data)
    #expect(image.width == width && image.height == height, sourceLocation: sourceLocation)
    let ink = image.ink
    #expect(ink.fraction > 0.03, "only \(ink.fraction * 100)% of the screenshot is drawn", sourceLocation: sourceLocation)
    #expect(ink.colours > 24, "the screenshot has only \(ink.colours) colours", sourceLocation: sourceLocation)
  }
}
