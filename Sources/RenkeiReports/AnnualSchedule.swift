import Foundation
import RenkeiCore

/// A bureau's annual schedule: which programme runs in which months, as the grid of
/// programmes by month in the FY2023 schedule (`令和5年度 … 年間スケジュール`) draws it.
///
/// Read from a CSV table in the format of `Examples/data/fy2023-annual-schedule.csv`:
///
/// | column | meaning | example |
/// |---|---|---|
/// | `programme` | the row of the grid; a programme may have several entries | `事例研究会` |
/// | `start_month` | first month, `YYYY-MM` | `2023-07` |
/// | `end_month` | last month, `YYYY-MM`, not before `start_month` | `2024-03` |
/// | `fixed_date` | optional: the day, `YYYY-MM-DD`, when the entry is one fixed meeting | `2023-05-30` |
/// | `note` | optional: what the grid writes in the cell, then any footnotes (`※1 …`) | `5.30開催` |
public struct AnnualSchedule: Sendable, Hashable {
  /// One arrow or one fixed date in the grid.
  public struct Entry: Sendable, Hashable {
    public var programme: String
    /// The first and last months, both month-precision dates.
    public var startMonth: RecordDate
    public var endMonth: RecordDate
    /// The day of a single fixed meeting (`5.30開催`), if the entry is one.
    public var fixedDate: RecordDate?
    /// The note as written, footnotes included.
    public var note: String
    /// The line of the CSV file the entry came from; 0 for entries made in code.
    public var line: Int

    public init(
      programme: String, startMonth: RecordDate, endMonth: RecordDate, fixedDate: RecordDate? = nil, note: String = "", line: Int = 0
    ) {
      self.programme = programme
      self.startMonth = startMonth.monthOnly
      self.endMonth = endMonth.monthOnly
      self.fixedDate = fixedDate
      self.note = note
      self.line = line
    }

    /// The note without its footnotes: what the grid shows beside the entry, such as
    /// `(保険者機能強化推進交付金等を実施予定)` or `※開催時期未定`.
    public var remark: String { Footnote.split(note).remark }

    /// The footnotes the note carries (`※1 都県協議会において…`), in order.
    public var footnotes: [Footnote] { Footnote.split(note).footnotes }
  }

  /// A numbered note printed under the grid and referred to by its mark after a programme.
  public struct Footnote: Sendable, Hashable {
    /// `※1`.
    public var mark: String
    public var text: String

    public init(mark: String, text: String) {
      self.mark = mark
      self.text = text
    }

    /// Splits a note at each `※` followed by a digit: the text before the first is the
    /// remark; each marked part is a footnote. `※開催時期未定` (no digit) stays in the remark.
    static func split(_ note: String) -> (remark: String, footnotes: [Footnote]) {
      let characters = Array(note)
      var starts: [Int] = []
      for index in characters.indices where characters[index] == "※" {
        if index + 1 < characters.count, characters[index + 1].isNumber { starts.append(index) }
      }
      let remarkEnd = starts.first ?? characters.count
      let remark = String(characters[..<remarkEnd]).trimmedSpaces
      var footnotes: [Footnote] = []
      for (number, start) in starts.enumerated() {
        let end = number + 1 < starts.count ? starts[number + 1] : characters.count
        var markEnd = start + 1
        while markEnd < end, characters[markEnd].isNumber { markEnd += 1 }
        footnotes.append(
          Footnote(mark: String(characters[start..<markEnd]), text: String(characters[markEnd..<end]).trimmedSpaces))
      }
      return (remark, footnotes)
    }
  }

  /// The entries in the order of the file.
  public var entries: [Entry]

  public init(entries: [Entry]) { self.entries = entries }

  /// A schedule with no entries, for a year that has none: the report then shows events only.
  public static let empty = AnnualSchedule(entries: [])

  /// The programmes, each once, in the order they first appear: the rows of the grid.
  public var programmes: [String] {
    var seen: Set<String> = []
    return entries.map(\.programme).filter { seen.insert($0).inserted }
  }

  /// Every footnote once, by mark, in the order first referred to.
  public var footnotes: [Footnote] {
    var seen: Set<String> = []
    return entries.flatMap(\.footnotes).filter { seen.insert($0.mark).inserted }
  }

  /// Columns the file must have; `fixed_date` and `note` may be absent.
  public static let requiredColumns = ["programme", "start_month", "end_month"]

  /// Reads the schedule's CSV text, or throws at the first bad row, naming its line.
  public static func parse(csv text: String) throws(AnnualScheduleError) -> AnnualSchedule {
    let table: CSVTable
    do { table = try CSVTable(parsing: text) } catch { throw AnnualScheduleError(line: error.line, message: error.reason) }
    let missing = requiredColumns.filter { !table.header.contains($0) }
    guard missing.isEmpty else {
      throw AnnualScheduleError(line: 1, message: "the header lacks \(missing.joined(separator: ", "))")
    }
    var entries: [Entry] = []
    for (line, values) in table.namedRows {
      func value(_ name: String) -> String { (values[name] ?? "").trimmedSpaces }
      func month(_ name: String) throws(AnnualScheduleError) -> RecordDate {
        let date: RecordDate
        do { date = try RecordDate(iso: value(name)) } catch {
          throw AnnualScheduleError(line: line, message: "\(name): \(error.message)")
        }
        guard date.precision == .month else {
          throw AnnualScheduleError(line: line, message: "\(name) \(date.iso) is a day: write the month, YYYY-MM")
        }
        return date
      }
      let programme = value("programme").precomposedStringWithCanonicalMapping
      guard !programme.isEmpty else { throw AnnualScheduleError(line: line, message: "programme is empty") }
      let start = try month("start_month")
      let end = try month("end_month")
      guard start <= end else {
        throw AnnualScheduleError(line: line, message: "end_month \(end.iso) is before start_month \(start.iso)")
      }
      var fixed: RecordDate?
      if !value("fixed_date").isEmpty {
        do { fixed = try RecordDate(iso: value("fixed_date")) } catch {
          throw AnnualScheduleError(line: line, message: "fixed_date: \(error.message)")
        }
        guard let fixedDate = fixed, fixedDate.precision == .day, fixedDate.monthOnly >= start, fixedDate.monthOnly <= end else {
          throw AnnualScheduleError(
            line: line, message: "fixed_date \(value("fixed_date")) must be a day from \(start.iso) to \(end.iso)")
        }
      }
      entries.append(
        Entry(
          programme: programme, startMonth: start, endMonth: end, fixedDate: fixed,
          note: value("note").precomposedStringWithCanonicalMapping, line: line))
    }
    return AnnualSchedule(entries: entries)
  }
}

/// A bad line of an annual-schedule file.
public struct AnnualScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
  public let line: Int
  public let message: String
  public init(line: Int, message: String) {
    self.line = line
    self.message = message
  }
  public var description: String { "line \(line): \(message)" }
}

extension String {
  /// Without leading and trailing spaces, tabs and line breaks, full-width spaces included.
  var trimmedSpaces: String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}
