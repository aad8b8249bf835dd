import RenkeiCore

/// Reads the dates prefecture staff type into a ``RecordDate``.
///
/// Accepted, with full-width digits and separators (２０２３－０５－３０) as well:
///
/// | form | example | precision |
/// |---|---|---|
/// | ISO and its relatives | `2023-05-30`, `2023/5/30`, `2023.5.30`, `20230530` | day |
/// | | `2023-05`, `2023/5` | month |
/// | Gregorian with kanji | `2023年5月30日`, `2023年5月` | day, month |
/// | era | `令和5年5月30日`, `令和元年5月1日`, `平成31年4月30日`, `令和5年5月` | day, month |
/// | abbreviated era | `R5.5.30`, `r5/5/30`, `H31.4.30`, `R5.5`, `R元.5.1` | day, month |
///
/// A weekday in brackets, as documents print it (`令和5年5月30日（火）`), is accepted and
/// checked. Everything else is refused with an ``InputError`` naming the input and the
/// problem: impossible days (`令和5年2月30日`), era years outside the era (`平成32年`,
/// `令和元年4月1日`), two-digit years, a year without a month, kanji numerals.
public enum DateInput {
  /// The date `text` names, at the precision it was typed (day or month).
  /// - Throws: ``InputError`` naming `text` and what is wrong with it.
  public static func parse(_ text: String) throws(InputError) -> RecordDate {
    func refuse(_ reason: String) -> InputError { InputError(input: text, expected: "a date", reason: reason) }
    let folded = TypedText.folded(text)
    guard !folded.isEmpty else { throw refuse("it is empty") }
    var tokens = DateToken.tokenize(folded)
    if tokens.contains(where: { if case .symbol(let c) = $0 { DateToken.kanjiDigits.contains(c) } else { false } }) {
      throw refuse("write the numbers in digits (2023年5月30日, 令和5年5月30日)")
    }
    let weekday = try takeWeekday(from: &tokens, refuse)

    var position = 0
    func next() -> DateToken? { position < tokens.count ? tokens[position] : nil }
    func advance() -> DateToken? {
      defer { position += 1 }
      return next()
    }

    // The year: an era and its year, or four Gregorian digits.
    let era: JapaneseEra?
    let eraYear: Int?
    let year: Int
    if case .era(let found)? = next() {
      position += 1
      era = found
      switch advance() {
      case .firstYear?: eraYear = 1
      case .number(let digits)? where digits.count <= 3: eraYear = Int(digits)!
      case .number?: throw refuse("\(found.name) has no year that long: write e.g. \(found.name)5年 or \(found.letter)5")
      default: throw refuse("\(found.name) must be followed by its year (\(found.name)5年5月30日, \(found.letter)5.5.30)")
      }
      guard eraYear! >= 1 else { throw refuse("\(found.name) has no year 0: its first year is 元年 (1)") }
      year = found.gregorianYear(eraYear!)
    } else if case .number(let digits)? = next() {
      position += 1
      era = nil
      eraYear = nil
      if digits.count == 8, position == tokens.count {
        let digitsArray = Array(digits)
        let date = try make(
          Int(String(digitsArray[0..<4]))!, Int(String(digitsArray[4..<6]))!, Int(String(digitsArray[6..<8]))!, refuse)
        try check(weekday, of: date, refuse)
        return date
      }
      guard digits.count == 4 else {
        throw refuse("the year must have four digits (2023-05-30), or an era (R5.5.30, 令和5年5月30日)")
      }
      year = Int(digits)!
    } else {
      throw refuse("use 2023-05-30, 2023-05, 令和5年5月30日 or R5.5.30")
    }

    // Month and day: 年…月…日, or one separator used throughout.
    let yearShown = era.map { $0.yearName(eraYear!) } ?? "\(year)年"
    var month: Int?
    var day: Int?
    switch advance() {
    case .symbol("年")?:
      guard let afterYear = advance() else {
        throw refuse("a year alone is not a date: add the month (\(yearShown)5月)")
      }
      guard case .number(let monthDigits) = afterYear, monthDigits.count <= 2 else {
        throw refuse("\(yearShown) must be followed by a month (\(yearShown)5月)")
      }
      guard case .symbol("月")? = advance() else {
        throw refuse("the month must be followed by 月 (\(yearShown)\(Int(monthDigits)!)月)")
      }
      month = Int(monthDigits)
      if case .number(let dayDigits)? = next() {
        position += 1
        guard dayDigits.count <= 2 else { throw refuse("\(dayDigits) is not a day of the month") }
        day = Int(dayDigits)
        if case .symbol("日")? = next() { position += 1 }
      }
    case .symbol(let separator)? where "-/.".contains(separator):
      guard case .number(let monthDigits)? = advance(), monthDigits.count <= 2 else {
        throw refuse("the year must be followed by a month of one or two digits (2023-05, R5.5)")
      }
      month = Int(monthDigits)
      if case .symbol(let second)? = next(), "-/.".contains(second) {
        guard second == separator else { throw refuse("it mixes the separators \"\(separator)\" and \"\(second)\"") }
        position += 1
        guard case .number(let dayDigits)? = advance(), dayDigits.count <= 2 else {
          throw refuse("the month must be followed by a day of one or two digits (2023-05-30, R5.5.30)")
        }
        day = Int(dayDigits)
      }
    case nil:
      let example = era.map { "\($0.yearName(eraYear!))5月" } ?? "\(year)-05"
      throw refuse("a year alone is not a date: add the month (\(example)) or the day")
    case .number?:
      throw refuse("separate year, month and day with \"-\", \"/\", \".\" or 年月日")
    case let other?:
      throw refuse("unexpected \"\(other.text)\" after the year")
    }
    if let extra = next() { throw refuse("unexpected \"\(extra.text)\" after the date") }

    let date: RecordDate
    if let day { date = try make(year, month!, day, refuse) } else { date = try make(year, month!, refuse) }
    if let era { try checkInside(era, eraYear: eraYear!, date: date, refuse) }
    try check(weekday, of: date, refuse)
    return date
  }

  /// `date` the Japanese way: 令和5年5月30日, 令和元年5月1日, 令和5年5月.
  public static func japanese(_ date: RecordDate) -> String { JapaneseEra.japaneseName(of: date) }

  // MARK: Internals

  private static func make(_ year: Int, _ month: Int, _ day: Int, _ refuse: (String) -> InputError) throws(InputError)
    -> RecordDate
  {
    do { return try RecordDate(year: year, month: month, day: day) } catch { throw refuse(error.message) }
  }

  private static func make(_ year: Int, _ month: Int, _ refuse: (String) -> InputError) throws(InputError) -> RecordDate {
    do { return try RecordDate(year: year, month: month) } catch { throw refuse(error.message) }
  }

  /// Refuses an era date outside its era: 平成 ended on 2019-04-30, so 平成32年 and
  /// 平成31年5月 are mistakes, as is 令和元年4月. A month counts when any of its days is in
  /// the era (昭和64年1月 and 平成元年1月 are both real).
  private static func checkInside(
    _ era: JapaneseEra, eraYear: Int, date: RecordDate, _ refuse: (String) -> InputError
  ) throws(InputError) {
    let first = (date.year, date.month, date.day ?? 1)
    let last = (date.year, date.month, date.day ?? JapaneseEra.daysIn(year: date.year, month: date.month))
    let actual = japanese(date)
    if last < (era.firstYear, era.firstMonth, era.firstDay) {
      let began = JapaneseEra.iso((era.firstYear, era.firstMonth, era.firstDay))
      throw refuse("\(era.name) began on \(began): \(date.iso) is \(actual)")
    }
    if let end = era.lastDay, first > end {
      throw refuse(
        "\(era.name) ended on \(JapaneseEra.iso(end)) (\(era.yearName(era.eraYear(of: end.year)))\(end.month)月\(end.day)日): \(date.iso) is \(actual)"
      )
    }
  }

  /// Removes a trailing weekday in brackets, `(火)`, `(火曜)` or `(火曜日)`, and returns it
  /// as 0 (日) … 6 (土).
  private static func takeWeekday(from tokens: inout [DateToken], _ refuse: (String) -> InputError) throws(InputError)
    -> Int?
  {
    guard tokens.last == .symbol(")"), let open = tokens.lastIndex(of: .symbol("(")) else { return nil }
    let inside = tokens[(open + 1)..<(tokens.count - 1)].map(\.text).joined()
    let name = inside.hasSuffix("曜日") ? String(inside.dropLast(2)) : inside.hasSuffix("曜") ? String(inside.dropLast()) : inside
    guard name.count == 1, let weekday = weekdayNames.firstIndex(of: Character(name)) else {
      throw refuse("\"(\(inside))\" is not a weekday: write e.g. (火)")
    }
    tokens.removeSubrange(open...)
    return weekday
  }

  private static func check(_ weekday: Int?, of date: RecordDate, _ refuse: (String) -> InputError) throws(InputError) {
    guard let weekday else { return }
    guard let day = date.day else { throw refuse("a weekday needs a day of the month") }
    let actual = dayOfWeek(year: date.year, month: date.month, day: day)
    guard actual == weekday else {
      throw refuse("\(date.iso) is a \(weekdayNames[actual])曜日, not \(weekdayNames[weekday])曜日")
    }
  }

  private static let weekdayNames: [Character] = ["日", "月", "火", "水", "木", "金", "土"]

  /// Sakamoto's method: 0 is Sunday. Pure arithmetic, so it needs no calendar or time zone.
  static func dayOfWeek(year: Int, month: Int, day: Int) -> Int {
    let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
    let y = month < 3 ? year - 1 : year
    return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
  }
}
