import Foundation
import RenkeiCore
import Testing

@testable import RenkeiAgent

@Suite struct DateInputTests {
  struct Accepted: CustomTestStringConvertible, Sendable {
    let input: String
    let iso: String
    var testDescription: String { "\(input) → \(iso)" }
  }

  static let accepted: [Accepted] = [
    .init(input: "2023-05-30", iso: "2023-05-30"),
    .init(input: "2023-05", iso: "2023-05"),
    .init(input: "2023-5-3", iso: "2023-05-03"),
    .init(input: "2023/5/30", iso: "2023-05-30"),
    .init(input: "2023/05", iso: "2023-05"),
    .init(input: "2023.5.30", iso: "2023-05-30"),
    .init(input: "20230530", iso: "2023-05-30"),
    .init(input: "2023年5月30日", iso: "2023-05-30"),
    .init(input: "2023年5月30", iso: "2023-05-30"),
    .init(input: "2023年5月", iso: "2023-05"),
    .init(input: "令和5年5月30日", iso: "2023-05-30"),
    .init(input: "令和元年5月1日", iso: "2019-05-01"),
    .init(input: "令和1年5月1日", iso: "2019-05-01"),
    .init(input: "令和5年5月", iso: "2023-05"),
    .init(input: "令和 5年 5月 30日", iso: "2023-05-30"),
    .init(input: "R5.5.30", iso: "2023-05-30"),
    .init(input: "r5.5.30", iso: "2023-05-30"),
    .init(input: "R05.05.30", iso: "2023-05-30"),
    .init(input: "R5/5/30", iso: "2023-05-30"),
    .init(input: "R5-5-30", iso: "2023-05-30"),
    .init(input: "R5.5", iso: "2023-05"),
    .init(input: "R元.5.1", iso: "2019-05-01"),
    .init(input: "R5年5月30日", iso: "2023-05-30"),
    .init(input: "平成31年4月30日", iso: "2019-04-30"),
    .init(input: "平成元年1月8日", iso: "1989-01-08"),
    .init(input: "平成元年1月", iso: "1989-01"),
    .init(input: "H31.4.30", iso: "2019-04-30"),
    .init(input: "H30.3", iso: "2018-03"),
    .init(input: "昭和64年1月7日", iso: "1989-01-07"),
    .init(input: "昭和64年1月", iso: "1989-01"),
    .init(input: "S64.1.7", iso: "1989-01-07"),
    .init(input: "大正15年12月24日", iso: "1926-12-24"),
    .init(input: "明治45年7月29日", iso: "1912-07-29"),
    .init(input: "２０２３－０５－３０", iso: "2023-05-30"),
    .init(input: "２０２３／５／３０", iso: "2023-05-30"),
    .init(input: "令和５年５月３０日", iso: "2023-05-30"),
    .init(input: "Ｒ５．５．３０", iso: "2023-05-30"),
    .init(input: "㋿5年5月30日", iso: "2023-05-30"),
    .init(input: "㍻31年4月1日", iso: "2019-04-01"),
    .init(input: "  2023-05-30\n", iso: "2023-05-30"),
    .init(input: "\u{3000}令和5年5月30日\u{3000}", iso: "2023-05-30"),
    .init(input: "2023−05−30", iso: "2023-05-30"),
    .init(input: "令和5年5月30日（火）", iso: "2023-05-30"),
    .init(input: "2023-05-30(火曜日)", iso: "2023-05-30"),
    .init(input: "R5.5.30 (火曜)", iso: "2023-05-30"),
    .init(input: "2024-02-29", iso: "2024-02-29"),
    .init(input: "2000-02-29", iso: "2000-02-29"),
    .init(input: "令和181年3月31日", iso: "2199-03-31"),
  ]

  @Test(arguments: accepted)
  func accepts(_ example: Accepted) throws {
    #expect(try DateInput.parse(example.input).iso == example.iso)
  }

  @Test func precisionFollowsWhatWasTyped() throws {
    #expect(try DateInput.parse("R5.5").precision == .month)
    #expect(try DateInput.parse("令和5年5月").precision == .month)
    #expect(try DateInput.parse("R5.5.30").precision == .day)
  }

  struct Refused: CustomTestStringConvertible, Sendable {
    let input: String
    let problem: String
    var testDescription: String { input.isEmpty ? "(empty)" : input }
  }

  static let refused: [Refused] = [
    .init(input: "", problem: "it is empty"),
    .init(input: "   ", problem: "it is empty"),
    .init(input: "令和5年2月30日", problem: "2023-02 has no day 30"),
    .init(input: "R5.2.29", problem: "2023-02 has no day 29"),
    .init(input: "2023-02-29", problem: "2023-02 has no day 29"),
    .init(input: "1900-02-29", problem: "1900-02 has no day 29"),
    .init(input: "2023-04-31", problem: "2023-04 has no day 31"),
    .init(input: "2023-05-00", problem: "has no day 0"),
    .init(input: "2023-13-01", problem: "month 13 is not 1–12"),
    .init(input: "令和5年0月", problem: "month 0 is not 1–12"),
    .init(input: "1899-12-31", problem: "year 1899 is out of range"),
    .init(input: "平成32年1月1日", problem: "平成 ended on 2019-04-30 (平成31年4月30日): 2020-01-01 is 令和2年1月1日"),
    .init(input: "平成31年5月1日", problem: "平成 ended on 2019-04-30"),
    .init(input: "平成31年5月", problem: "平成 ended on 2019-04-30"),
    .init(input: "H32.1.1", problem: "平成 ended on 2019-04-30"),
    .init(input: "令和元年4月30日", problem: "令和 began on 2019-05-01: 2019-04-30 is 平成31年4月30日"),
    .init(input: "令和元年4月", problem: "令和 began on 2019-05-01"),
    .init(input: "昭和64年1月8日", problem: "昭和 ended on 1989-01-07"),
    .init(input: "平成元年1月7日", problem: "平成 began on 1989-01-08"),
    .init(input: "令和0年5月1日", problem: "令和 has no year 0"),
    .init(input: "R0.5.1", problem: "令和 has no year 0"),
    .init(input: "23-05-30", problem: "the year must have four digits"),
    .init(input: "5/30", problem: "the year must have four digits"),
    .init(input: "2023", problem: "a year alone is not a date"),
    .init(input: "令和5年", problem: "a year alone is not a date"),
    .init(input: "R5", problem: "a year alone is not a date"),
    .init(input: "2023-05/30", problem: "mixes the separators \"-\" and \"/\""),
    .init(input: "2023 05 30", problem: "separate year, month and day"),
    .init(input: "2023-05-30 10:00", problem: "unexpected \"10\" after the date"),
    .init(input: "2023-05-30T10:00", problem: "unexpected \"T\" after the date"),
    .init(input: "2023-005-30", problem: "a month of one or two digits"),
    .init(input: "2023-05-300", problem: "a day of one or two digits"),
    .init(input: "令和五年五月三十日", problem: "write the numbers in digits"),
    .init(input: "令和5年5月30日(水)", problem: "2023-05-30 is a 火曜日, not 水曜日"),
    .init(input: "2023-05(火)", problem: "a weekday needs a day of the month"),
    .init(input: "2023-05-30(祝)", problem: "is not a weekday"),
    .init(input: "令和", problem: "令和 must be followed by its year"),
    .init(input: "令和1234年", problem: "令和 has no year that long"),
    .init(input: "令和200年1月1日", problem: "year 2218 is out of range 1900–2199"),
    .init(input: "tomorrow", problem: "use 2023-05-30, 2023-05, 令和5年5月30日 or R5.5.30"),
    .init(input: "2023年5", problem: "the month must be followed by 月"),
    .init(input: "2023年", problem: "a year alone is not a date"),
  ]

  @Test(arguments: refused)
  func refusesNamingTheInputAndTheProblem(_ example: Refused) {
    let error = #expect(throws: InputError.self) { try DateInput.parse(example.input) }
    #expect(error?.input == example.input)
    #expect(error?.message.hasPrefix("\(example.input.debugDescription) is not a date: ") == true)
    #expect(error?.reason.contains(example.problem) == true, "\(error?.message ?? "")")
  }

  @Test func theMessageQuotesTheInputAsTyped() {
    let error = #expect(throws: InputError.self) { try DateInput.parse("令和5年2月30日") }
    #expect(error?.message == "\"令和5年2月30日\" is not a date: 2023-02 has no day 30")
  }

  @Test func writesDatesTheJapaneseWay() throws {
    #expect(DateInput.japanese(try RecordDate(year: 2023, month: 5, day: 30)) == "令和5年5月30日")
    #expect(DateInput.japanese(try RecordDate(year: 2019, month: 5, day: 1)) == "令和元年5月1日")
    #expect(DateInput.japanese(try RecordDate(year: 2019, month: 4, day: 30)) == "平成31年4月30日")
    #expect(DateInput.japanese(try RecordDate(year: 1989, month: 1, day: 7)) == "昭和64年1月7日")
    #expect(DateInput.japanese(try RecordDate(year: 1989, month: 1, day: 8)) == "平成元年1月8日")
    #expect(DateInput.japanese(try RecordDate(year: 2023, month: 5)) == "令和5年5月")
  }

  /// The era table agrees with Foundation's Japanese calendar: every date Foundation writes
  /// as 令和…/平成…/昭和…/大正… reads back as the same day, and is written the same way.
  @Test func agreesWithFoundationsJapaneseCalendar() throws {
    var gregorian = Calendar(identifier: .gregorian)
    gregorian.timeZone = TimeZone(identifier: "Asia/Tokyo")!
    let formatter = DateFormatter()
    formatter.calendar = Calendar(identifier: .japanese)
    formatter.locale = Locale(identifier: "ja_JP")
    formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
    formatter.dateFormat = "GGGGy年M月d日"

    var days: [DateComponents] = []
    for (year, month, day) in [
      (1912, 7, 29), (1912, 7, 30), (1926, 12, 24), (1926, 12, 25), (1989, 1, 7), (1989, 1, 8),
      (2019, 4, 30), (2019, 5, 1), (2020, 2, 29), (2023, 5, 30),
    ] {
      days.append(DateComponents(year: year, month: month, day: day, hour: 12))
    }
    var probe = gregorian.date(from: DateComponents(year: 1913, month: 1, day: 1, hour: 12))!
    let end = gregorian.date(from: DateComponents(year: 2099, month: 12, day: 31, hour: 12))!
    while probe < end {
      days.append(gregorian.dateComponents([.year, .month, .day, .hour], from: probe))
      probe = gregorian.date(byAdding: .day, value: 97, to: probe)!
    }

    for components in days {
      let date = gregorian.date(from: components)!
      let written = formatter.string(from: date)
      let parsed = try DateInput.parse(written)
      #expect(
        parsed == (try RecordDate(year: components.year!, month: components.month!, day: components.day!)),
        "\(written)")
      #expect(DateInput.japanese(parsed).replacingOccurrences(of: "元年", with: "1年") == written.replacingOccurrences(of: "元年", with: "1年"))
    }
  }
}
