import Testing

@testable import RenkeiReports

@Suite struct YenTextTests {
  @Test(arguments: [
    (Int64(0), "0円"), (5_000, "5,000円"), (12_345_678, "12,345,678円"), (-500_000, "-500,000円"),
    (Int64.max, "9,223,372,036,854,775,807円"), (Int64.min, "-9,223,372,036,854,775,808円"),
  ])
  func fullShowsEveryYen(yen: Int64, text: String) {
    #expect(YenText.full(yen) == text)
  }

  @Test(arguments: [
    (Int64(0), "0円"), (9_999, "9,999円"), (10_000, "1万円"), (12_345_678, "1,235万円"), (12_344_999, "1,234万円"),
    (95_000_000, "9,500万円"), (99_994_999, "9,999万円"), (99_995_000, "1.0億円"), (100_000_000, "1.0億円"),
    (123_456_789, "1.2億円"), (125_000_000, "1.3億円"), (1_234_567_890_123, "12,345.7億円"), (-12_345_678, "-1,235万円"),
    (-150_000_000, "-1.5億円"),
  ])
  func approximateRoundsToTheLargestUnit(yen: Int64, text: String) {
    #expect(YenText.approximate(yen) == text)
  }

  @Test func bothGivesTheExactAmountAndTheRoundedOne() {
    #expect(YenText.both(123_456_789) == "123,456,789円（1.2億円）")
    #expect(YenText.both(5_000) == "5,000円")
  }
}
