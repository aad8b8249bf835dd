import RenkeiCore

/// Reads a fiscal year as staff type it into a ``FiscalYear`` (April to March, named by the
/// Gregorian year it starts in).
///
/// Accepted, full-width forms included: `2023`, `FY2023`, `fy 2023`, `2023年度`, `令和5年度`,
/// `令和元年度`, `令和5年`, `令和5`, `R5`, `R05`, `R5年度`, `平成30年度`, `H30`. Print a
/// year with ``FiscalYear/bothNames`` (`FY2023 / 令和5年度`).
///
/// An era year counts when the era was in force during some of the fiscal year: 平成31年度
/// (FY2019, the name budgets drawn up before May 2019 used) and 令和元年度 are both FY2019,
/// while 平成32年度 and 昭和64年度 never existed and are refused, naming the right year.
public enum FiscalYearInput {
  /// The fiscal year `text` names.
  /// - Throws: ``InputError`` naming `text` and what is wrong with it.
  public static func parse(_ text: String) throws(InputError) -> FiscalYear {
    func refuse(_ reason: String) -> InputError { InputError(input: text, expected: "a fiscal year", reason: reason) }
    let folded = TypedText.folded(text)
    guard !folded.isEmpty else { throw refuse("it is empty") }
    let usage = "write 2023, FY2023, 令和5年度 or R5"
    var body = folded
    let hasPrefix = body.uppercased().hasPrefix("FY")
    if hasPrefix { body = String(body.dropFirst(2)) }
    var tokens = DateToken.tokenize(body)
    if tokens.contains(where: { if case .symbol(let c) = $0 { DateToken.kanjiDigits.contains(c) } else { false } }) {
      throw refuse("write the year in digits (令和5年度, FY2023)")
    }
    // 年度 ("fiscal year") or 年, as typed after the year.
    if tokens.suffix(2) == [.symbol("年"), .symbol("度")] {
      tokens.removeLast(2)
    } else if tokens.last == .symbol("年") {
      tokens.removeLast()
    }

    let year: Int
    switch (tokens.first, tokens.count) {
    case (.era(let era)?, 2):
      guard !hasPrefix else { throw refuse("FY takes a Gregorian year (FY2023); \(usage)") }
      let eraYear: Int
      switch tokens[1] {
      case .firstYear: eraYear = 1
      case .number(let digits) where digits.count <= 3: eraYear = Int(digits)!
      default: throw refuse("\(era.name) must be followed by its year (\(era.name)5年度, \(era.letter)5)")
      }
      guard eraYear >= 1 else { throw refuse("\(era.name) has no year 0: its first year is 元年度 (1)") }
      year = era.gregorianYear(eraYear)
      try checkInside(era, eraYear: eraYear, fiscalYear: year, refuse)
    case (.number(let digits)?, 1) where digits.count == 4:
      year = Int(digits)!
    case (.number(let digits)?, 1) where digits.count < 4:
      throw refuse("the year must have four digits (FY20\(digits.count == 2 ? digits : "23")), or an era (R5)")
    case (.number?, let count) where count > 1:
      throw refuse("a fiscal year is a year, not a date or a range; \(usage)")
    default:
      throw refuse(usage)
    }
    guard (1900...2199).contains(year) else { throw refuse("FY\(year) is out of range 1900–2199") }
    return FiscalYear(year)
  }

  /// Refuses an era year when the era was not in force at any time in that fiscal year. An
  /// era year of 1 or more never ends before the era began, so only the era's end is checked.
  private static func checkInside(
    _ era: JapaneseEra, eraYear: Int, fiscalYear year: Int, _ refuse: (String) -> InputError
  ) throws(InputError) {
    let named = era.yearName(eraYear) + "度"
    let right = "FY\(year) is \(FiscalYear(year).japaneseName)"
    if let end = era.lastDay, end < (year, 4, 1) {
      throw refuse("\(era.name) ended on \(JapaneseEra.iso(end)), before \(named) would have begun: \(right)")
    }
  }
}
