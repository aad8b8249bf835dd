import RenkeiCore

/// A Japanese era (元号) from 明治 on: its name, the letter used in abbreviations
/// (`R5.5.30`), and the day it began. The year an era begins is its first year, 元年.
public struct JapaneseEra: Sendable, Hashable, CustomStringConvertible {
  /// 令和, 平成, 昭和, 大正, 明治.
  public let name: String
  /// R, H, S, T, M.
  public let letter: Character
  /// The Gregorian year the era began: its 元年.
  public let firstYear: Int
  /// The month of that year the era began.
  public let firstMonth: Int
  /// The day of that month the era began.
  public let firstDay: Int

  /// The eras in order. An era ends the day before the next one begins.
  public static let all: [JapaneseEra] = [
    // 明治 was proclaimed on 1868-10-23 and applied from the start of that year; Renkei's
    // dates begin in 1900, so only its end matters here.
    JapaneseEra(name: "明治", letter: "M", firstYear: 1868, firstMonth: 10, firstDay: 23),
    JapaneseEra(name: "大正", letter: "T", firstYear: 1912, firstMonth: 7, firstDay: 30),
    JapaneseEra(name: "昭和", letter: "S", firstYear: 1926, firstMonth: 12, firstDay: 25),
    JapaneseEra(name: "平成", letter: "H", firstYear: 1989, firstMonth: 1, firstDay: 8),
    JapaneseEra(name: "令和", letter: "R", firstYear: 2019, firstMonth: 5, firstDay: 1),
  ]

  /// The era called `name` (令和) or abbreviated `letter` (R or r).
  public static func named(_ name: String) -> JapaneseEra? {
    all.first { $0.name == name || (name.count == 1 && name.uppercased() == String($0.letter)) }
  }

  /// The era in force on `date`; for a month-precision date, on the first of the month.
  public static func era(of date: RecordDate) -> JapaneseEra {
    let day = (date.year, date.month, date.day ?? 1)
    return all.last { ($0.firstYear, $0.firstMonth, $0.firstDay) <= day } ?? all[0]
  }

  /// The Gregorian year of this era's year `eraYear` (1 is 元年).
  public func gregorianYear(_ eraYear: Int) -> Int { firstYear + eraYear - 1 }

  /// The era's year for Gregorian `year`.
  public func eraYear(of year: Int) -> Int { year - firstYear + 1 }

  /// The era that follows this one, nil for the current era.
  public var next: JapaneseEra? {
    guard let index = Self.all.firstIndex(of: self), index + 1 < Self.all.count else { return nil }
    return Self.all[index + 1]
  }

  /// The last day of the era as (year, month, day), nil for the current era.
  public var lastDay: (year: Int, month: Int, day: Int)? {
    guard let next else { return nil }
    if next.firstDay > 1 { return (next.firstYear, next.firstMonth, next.firstDay - 1) }
    let month = next.firstMonth == 1 ? 12 : next.firstMonth - 1
    let year = next.firstMonth == 1 ? next.firstYear - 1 : next.firstYear
    return (year, month, Self.daysIn(year: year, month: month))
  }

  /// `令和5年`, `令和元年`.
  public func yearName(_ eraYear: Int) -> String { eraYear == 1 ? "\(name)元年" : "\(name)\(eraYear)年" }

  public var description: String { name }

  /// `date` written the Japanese way: 令和5年5月30日, 令和元年5月1日, or 令和5年5月 for a
  /// month-precision date.
  public static func japaneseName(of date: RecordDate) -> String {
    let era = era(of: date)
    let base = era.yearName(era.eraYear(of: date.year)) + "\(date.month)月"
    guard let day = date.day else { return base }
    return base + "\(day)日"
  }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  static func iso(_ day: (year: Int, month: Int, day: Int)) -> String {
    "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)-\(day.day < 10 ? "0" : "")\(day.day)"
  }
}
