import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiReports
import RenkeiStore

/// `renkei report schedule|funds`: the annual schedule and the fund report as pages to open,
/// print on A4 landscape and attach to a council's materials.
public enum ReportCommand: AgentCommand {
  public static let command = Command(
    "report", abstract: "Writes the annual schedule or the fund report as a self-contained HTML page (and SVG).",
    subcommands: [
      Command(
        "schedule", abstract: "The fiscal year April to March by programme and event, spans as bars, days as marks.",
        parameters: [
          .option("fy", valueName: "year", help: "The fiscal year (2023, FY2023, 令和5年度, R5).", required: true),
          .option("html", valueName: "file", help: "Write the page here."),
          .option("svg", valueName: "file", help: "Write the chart alone here."),
          .option("schedule", valueName: "csv", help: "The bureau's annual plan in the format of Examples/data/fy2023-annual-schedule.csv."),
        ]),
      Command(
        "funds", abstract: "Per programme, each prefecture's decided, executed and remaining money, with totals.",
        parameters: [
          .option("fy", valueName: "year", help: "The fiscal year (2023, FY2023, 令和5年度, R5).", required: true),
          .option("html", valueName: "file", help: "Write the page here."),
          .option("svg", valueName: "file", help: "Write the chart alone here."),
        ]),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let fiscalYear: FiscalYear
    do { fiscalYear = try FiscalYearInput.parse(arguments.string("fy")!) } catch {
      throw arguments.usageError("--fy: \(error.message)")
    }
    guard arguments.string("html") != nil || arguments.string("svg") != nil else {
      throw arguments.usageError("say where to write the report: --html FILE and/or --svg FILE")
    }
    let replica = try AgentReplica.open(directory)
    let records = try replica.records()
    let html: String
    let svg: String
    if arguments.subcommandPath.last == "schedule" {
      var schedule = AnnualSchedule.empty
      if let path = arguments.string("schedule") {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
          throw AgentError(.badInput, "cannot read the annual schedule \(path)")
        }
        do { schedule = try AnnualSchedule.parse(csv: text) } catch {
          throw AgentError(.badInput, "\(path): \(error)")
        }
      }
      let events = records.compactMap { stored -> Event? in
        if case .event(let event)? = stored.record { return event }
        return nil
      }
      let report = ScheduleReport(fiscalYear: fiscalYear, schedule: schedule, events: events, today: Self.today(), bureau: replica.scope.bureau)
      (html, svg) = (report.html(), report.svg())
    } else {
      let entries = records.compactMap { stored -> FundEntry? in
        if case .fundEntry(let entry)? = stored.record { return entry }
        return nil
      }
      let report = FundsReport(fiscalYear: fiscalYear, entries: entries, bureau: replica.scope.bureau, asOf: Self.today())
      (html, svg) = (report.html(), report.svg())
    }
    for (option, text) in [("html", html), ("svg", svg)] {
      guard let path = arguments.string(option) else { continue }
      do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        throw FileWriteFailure.error(writing: path, error)
      }
      print("wrote \(path)")
    }
  }

  /// Today in Japan, the day the report is made.
  static func today(_ now: Date = Date()) -> RecordDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
    let parts = calendar.dateComponents([.year, .month, .day], from: now)
    return (try? RecordDate(year: parts.year!, month: parts.month!, day: parts.day!)) ?? (try! RecordDate(iso: "2000-01-01"))
  }
}
