/// A calendar date as the source documents give it: to the day (`2023-05-30`) or only to
/// the month (`2020-10`). Undated records hold no `RecordDate` at all.
///
/// Comparison orders by year, month, then day, with a month-precision date before every
/// day of its month, so sorting a schedule puts "October" ahead of "October 2nd".
public struct RecordDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public enum Precision: String, Sendable, Codable { case day, month }

  public let year: Int
  public let month: Int
  /// The day of the month; nil for month precision.
  public let day: Int?

  public var precision: Precision { day == nil ? .month : .day }

  /// Creates a day-precision date, or throws when it is not a real calendar day.
  public init(year: Int, month: Int, day: Int) throws(RecordDateError) {
    try Self.check(year: year, month: month)
    guard day >= 1, day <= Self.daysIn(year: year, month: month) else {
      throw RecordDateError("\(year)-\(Self.pad(month)) has no day \(day)")
    }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Creates a month-precision date.
  public init(year: Int, month: Int) throws(RecordDateError) {
    try Self.check(year: year, month: month)
    self.year = year
    self.month = month
    self.day = nil
  }

  /// Parses `YYYY-MM-DD` or `YYYY-MM` exactly (ASCII digits, zero-padded).
  public init(iso text: String) throws(RecordDateError) {
    // Read from the bytes: every record carries dates and every write validates them.
    let utf8 = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let digit = utf8[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value * 10 + Int(digit)
      }
      return value
    }
    let hasDay = utf8.count == 10
    guard utf8.count == 7 || hasDay, utf8[4] == UInt8(ascii: "-"), !hasDay || utf8[7] == UInt8(ascii: "-"),
      let year = number(0..<4), let month = number(5..<7)
    else {
      throw RecordDateError("\(text.debugDescription) is not a date: use YYYY-MM-DD or YYYY-MM")
    }
    if hasDay, let day = number(8..<10) {
      try self.init(year: year, month: month, day: day)
    } else if hasDay {
      throw RecordDateError("\(text.debugDescription) is not a date: use YYYY-MM-DD or YYYY-MM")
    } else {
      try self.init(year: year, month: month)
    }
  }

  /// The fiscal year the date falls in: April to March, named by the year it starts.
  public var fiscalYear: FiscalYear { FiscalYear(month >= 4 ? year : year - 1) }

  /// `YYYY-MM-DD` or `YYYY-MM`.
  public var iso: String {
    // Concatenated, not interpolated: every typed record writes its dates on each save.
    let base = String(year) + "-" + Self.pad(month)
    guard let day else { return base }
    return base + "-" + Self.pad(day)
  }

  public var description: String { iso }

  /// The month this date falls in, as a month-precision date.
  public var monthOnly: RecordDate { RecordDate(unchecked: year, month, nil) }

  public static func < (lhs: RecordDate, rhs: RecordDate) -> Bool {
    (lhs.year, lhs.month, lhs.day ?? 0) < (rhs.year, rhs.month, rhs.day ?? 0)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { self = try RecordDate(iso: text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(iso)
  }

  private init(unchecked year: Int, _ month: Int, _ day: Int?) {
    self.year = year
    self.month = month
    self.day = day
  }

  private static func check(year: Int, month: Int) throws(RecordDateError) {
    // The records are administrative: anything outside these years is a typing mistake.
    guard (1900...2199).contains(year) else { throw RecordDateError("year \(year) is out of range 1900–2199") }
    guard (1...12).contains(month) else { throw RecordDateError("month \(month) is not 1–12") }
  }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  private static func pad(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
}

/// Why a text is not a ``RecordDate``.
public struct RecordDateError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
