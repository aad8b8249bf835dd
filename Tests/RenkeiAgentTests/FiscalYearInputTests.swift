import RenkeiCore
import Testing

@testable import RenkeiAgent

@Suite struct FiscalYearInputTests {
  struct Accepted: CustomTestStringConvertible, Sendable {
    let input: String
    let year: Int
    var testDescription: String { "\(input) → FY\(year)" }
  }

  static let accepted: [Accepted] = [
    .init(input: "2023", year: 2023),
    .init(input: "FY2023", year: 2023),
    .init(input: "fy2023", year: 2023),
    .init(input: "FY 2023", year: 2023),
    .init(input: "ＦＹ２０２３", year: 2023),
    .init(input: "２０２３", year: 2023),
    .init(input: "2023年度", year: 2023),
    .init(input: "令和5年度", year: 2023),
    .init(input: "令和５年度", year: 2023),
    .init(input: "令和5年", year: 2023),
    .init(input: "令和5", year: 2023),
    .init(input: "令和元年度", year: 2019),
    .init(input: "R5", year: 2023),
    .init(input: "r5", year: 2023),
    .init(input: "R05", year: 2023),
    .init(input: "Ｒ５", year: 2023),
    .init(input: "R5年度", year: 2023),
    .init(input: "R元", year: 2019),
    .init(input: "平成30年度", year: 2018),
    .init(input: "H30", year: 2018),
    .init(input: "平成31年度", year: 2019),
    .init(input: "平成元年度", year: 1989),
    .init(input: "昭和63年度", year: 1988),
    .init(input: "㍻30年度", year: 2018),
    .init(input: " 令和5年度 ", year: 2023),
  ]

  @Test(arguments: accepted)
  func accepts(_ example: Accepted) throws {
    #expect(try FiscalYearInput.parse(example.input) == FiscalYear(example.year))
  }

  struct Refused: CustomTestStringConvertible, Sendable {
    let input: String
    let problem: String
    var testDescription: String { input.isEmpty ? "(empty)" : input }
  }

  static let refused: [Refused] = [
    .init(input: "", problem: "it is empty"),
    .init(input: "FY23", problem: "the year must have four digits (FY2023)"),
    .init(input: "23", problem: "the year must have four digits"),
    .init(input: "令和0年度", problem: "令和 has no year 0"),
    .init(input: "平成32年度", problem: "平成 ended on 2019-04-30, before 平成32年度 would have begun: FY2020 is 令和2年度"),
    .init(input: "H32", problem: "平成 ended on 2019-04-30"),
    .init(input: "昭和64年度", problem: "FY1989 is 平成元年度"),
    .init(input: "2023-05", problem: "a fiscal year is a year, not a date or a range"),
    .init(input: "2023-2024", problem: "not a date or a range"),
    .init(input: "FYR5", problem: "FY takes a Gregorian year"),
    .init(input: "令和五年度", problem: "write the year in digits"),
    .init(input: "next year", problem: "write 2023, FY2023, 令和5年度 or R5"),
    .init(input: "令和", problem: "write 2023, FY2023, 令和5年度 or R5"),
    .init(input: "1899", problem: "FY1899 is out of range 1900–2199"),
    .init(input: "2200", problem: "out of range"),
  ]

  @Test(arguments: refused)
  func refusesNamingTheInputAndTheProblem(_ example: Refused) {
    let error = #expect(throws: InputError.self) { try FiscalYearInput.parse(example.input) }
    #expect(error?.message.hasPrefix("\(example.input.debugDescription) is not a fiscal year: ") == true)
    #expect(error?.reason.contains(example.problem) == true, "\(error?.message ?? "")")
  }

  /// Every name the CLI prints reads back as the same year.
  @Test func readsBackBothPrintedNames() throws {
    for year in 1927...2150 {
      let fiscalYear = FiscalYear(year)
      #expect(try FiscalYearInput.parse(fiscalYear.japaneseName) == fiscalYear, "\(fiscalYear.japaneseName)")
      #expect(try FiscalYearInput.parse(fiscalYear.description) == fiscalYear)
    }
    #expect(FiscalYear(2023).bothNames == "FY2023 / 令和5年度")
  }
}
