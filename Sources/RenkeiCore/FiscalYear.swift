/// A Japanese fiscal year, April to March, named by the Gregorian year it starts in:
/// 令和5年度 is FY2023 (2023-04-01 … 2024-03-31).
public struct FiscalYear: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let startYear: Int

  public init(_ startYear: Int) { self.startYear = startYear }

  /// The first and last months of the year.
  public var firstMonth: RecordDate { try! RecordDate(year: startYear, month: 4) }
  public var lastMonth: RecordDate { try! RecordDate(year: startYear + 1, month: 3) }

  /// True when `date` falls inside this fiscal year.
  public func contains(_ date: RecordDate) -> Bool { date.fiscalYear == self }

  /// The era name: 令和5年度, 令和元年度, 平成30年度.
  public var japaneseName: String {
    // Fiscal years are named by the era in force on April 1st: FY2019 began in Heisei 31
    // but is called 令和元年度 by every ministry document, because the era changed within it.
    if startYear >= 2019 { return Self.eraName("令和", startYear - 2018) }
    if startYear >= 1989 { return Self.eraName("平成", startYear - 1988) }
    return Self.eraName("昭和", startYear - 1925)
  }

  /// `FY2023 / 令和5年度`, the form the CLI prints.
  public var bothNames: String { "FY\(startYear) / \(japaneseName)" }

  public var description: String { "FY\(startYear)" }

  public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.startYear < rhs.startYear }

  public init(from decoder: any Decoder) throws {
    startYear = try decoder.singleValueContainer().decode(Int.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(startYear)
  }

  private static func eraName(_ era: String, _ year: Int) -> String {
    year == 1 ? "\(era)元年度" : "\(era)\(year)年度"
  }
}
