import Testing

@testable import RenkeiAgent

@Suite struct YenAmountTests {
  struct Accepted: CustomTestStringConvertible, Sendable {
    let input: String
    let yen: Int64
    var allowNegative = false
    var testDescription: String { "\(input) → \(yen)" }
  }

  static let accepted: [Accepted] = [
    .init(input: "12,000,000", yen: 12_000_000),
    .init(input: "12000000", yen: 12_000_000),
    .init(input: "12000000円", yen: 12_000_000),
    .init(input: "12,000,000円", yen: 12_000_000),
    .init(input: "¥12,000,000", yen: 12_000_000),
    .init(input: "￥１２，０００，０００", yen: 12_000_000),
    .init(input: "１２００００００円", yen: 12_000_000),
    .init(input: "1200万", yen: 12_000_000),
    .init(input: "1200万円", yen: 12_000_000),
    .init(input: "1,200万円", yen: 12_000_000),
    .init(input: "１２００万", yen: 12_000_000),
    .init(input: "1.0億", yen: 100_000_000),
    .init(input: "1.2億", yen: 120_000_000),
    .init(input: "1.2億円", yen: 120_000_000),
    .init(input: "1億2000万", yen: 120_000_000),
    .init(input: "1億2,000万円", yen: 120_000_000),
    .init(input: "1億2000万5千円", yen: 120_005_000),
    .init(input: "1億2000万5000", yen: 120_005_000),
    .init(input: "1億2千万", yen: 120_000_000),
    .init(input: "1億2千万円", yen: 120_000_000),
    .init(input: "2千万", yen: 20_000_000),
    .init(input: "1億2千万5千", yen: 120_005_000),
    .init(input: "3千億", yen: 300_000_000_000),
    .init(input: "1兆2千億", yen: 1_200_000_000_000),
    .init(input: "1万5000", yen: 15_000),
    .init(input: "1万5千", yen: 15_000),
    .init(input: "5千円", yen: 5_000),
    .init(input: "5千300", yen: 5_300),
    .init(input: "12.5万", yen: 125_000),
    .init(input: "12.345万", yen: 123_450),
    .init(input: "0.5万", yen: 5_000),
    .init(input: "1,234.5万", yen: 12_345_000),
    .init(input: "3兆", yen: 3_000_000_000_000),
    .init(input: "0", yen: 0),
    .init(input: "0円", yen: 0),
    .init(input: "007", yen: 7),
    .init(input: " 1200万 ", yen: 12_000_000),
    .init(input: "9,223,372,036,854,775,807", yen: Int64.max),
    .init(input: "9223372兆368億5477万5807", yen: Int64.max),
    .init(input: "-500,000", yen: -500_000, allowNegative: true),
    .init(input: "−500,000", yen: -500_000, allowNegative: true),
    .init(input: "－５００，０００", yen: -500_000, allowNegative: true),
    .init(input: "▲500,000", yen: -500_000, allowNegative: true),
    .init(input: "△1.2億", yen: -120_000_000, allowNegative: true),
    .init(input: "-1200万円", yen: -12_000_000, allowNegative: true),
    .init(input: "+500", yen: 500),
    .init(input: "500", yen: 500, allowNegative: true),
  ]

  @Test(arguments: accepted)
  func accepts(_ example: Accepted) throws {
    #expect(try YenAmount.parse(example.input, allowNegative: example.allowNegative) == example.yen)
  }

  struct Refused: CustomTestStringConvertible, Sendable {
    let input: String
    let problem: String
    var allowNegative = false
    var testDescription: String { input.isEmpty ? "(empty)" : input }
  }

  static let refused: [Refused] = [
    .init(input: "", problem: "it is empty"),
    .init(input: " ", problem: "it is empty"),
    .init(input: "円", problem: "it has no digits"),
    .init(input: "-", problem: "it has no digits", allowNegative: true),
    .init(input: "1,20,000", problem: "1,20,000 has misplaced thousands separators"),
    .init(input: "12,00", problem: "misplaced thousands separators"),
    .init(input: ",100", problem: "misplaced thousands separators"),
    .init(input: "100,", problem: "misplaced thousands separators"),
    .init(input: "1,0000万", problem: "misplaced thousands separators"),
    .init(input: "1.5", problem: "a decimal point needs a unit (1.5万, 1.5億): yen have no fractions"),
    .init(input: "1.000", problem: "for thousands write 1,000"),
    .init(input: "5,000,000.00", problem: "yen have no fractions: write 5,000,000 without .00"),
    .init(input: "5000000.0", problem: "yen have no fractions: write 5000000 without .0"),
    .init(input: "1.5円", problem: "yen have no fractions"),
    .init(input: "12.34567万", problem: "12.34567万 comes to a fraction of a yen"),
    .init(input: "1.0001千", problem: "comes to a fraction of a yen"),
    .init(input: "1万2.5", problem: "yen have no fractions"),
    .init(input: "1.5億2000万", problem: "only the last part may have a decimal point"),
    .init(input: "12.5.0万", problem: "more than one decimal point"),
    .init(input: ".5万", problem: "a decimal point needs digits on both sides"),
    .init(input: "5.万", problem: "a decimal point needs digits on both sides"),
    .init(input: "1.234,5万", problem: "a comma after the decimal point"),
    .init(input: "-500", problem: "a negative amount is not allowed here"),
    .init(input: "▲500,000", problem: "a negative amount is not allowed here"),
    .init(input: "9,223,372,036,854,775,808", problem: "beyond the largest amount, 9,223,372,036,854,775,807円"),
    .init(input: "99999999999999999999999", problem: "beyond the largest amount"),
    .init(input: "10000000兆", problem: "beyond the largest amount"),
    .init(input: "9223372兆368億5477万5808", problem: "beyond the largest amount"),
    .init(input: "1兆36854億", problem: "36854億 is too large to follow 兆"),
    .init(input: "1億12000万", problem: "12000万 is too large to follow 億: it must be under 10,000万"),
    .init(input: "1万15000", problem: "too large to follow 万"),
    .init(input: "1万5千1000", problem: "too large to follow 千"),
    .init(input: "1万1億", problem: "units must go from largest to smallest: 億 cannot follow 万"),
    .init(input: "1億12千万", problem: "12千万 is too large to follow 億: it must be under 10千万"),
    .init(input: "2千万1億", problem: "units must go from largest to smallest: 億 cannot follow 千万"),
    .init(input: "1万2万", problem: "units must go from largest to smallest"),
    .init(input: "万", problem: "万 must follow a number"),
    .init(input: "1200万万", problem: "万 must follow a number"),
    .init(input: "千二百万", problem: "write the number in digits"),
    .init(input: "百万円", problem: "write the number in digits"),
    .init(input: "1 200", problem: "a space inside"),
    .init(input: "100円円", problem: "円 may only come at the end"),
    .init(input: "abc", problem: "unexpected \"a\""),
    .init(input: "12000000ドル", problem: "unexpected \"ド\""),
    .init(input: "１２億ー", problem: "unexpected \"ー\""),
  ]

  @Test(arguments: refused)
  func refusesNamingTheInputAndTheProblem(_ example: Refused) {
    let error = #expect(throws: InputError.self) {
      try YenAmount.parse(example.input, allowNegative: example.allowNegative)
    }
    #expect(error?.message.hasPrefix("\(example.input.debugDescription) is not an amount: ") == true)
    #expect(error?.reason.contains(example.problem) == true, "\(error?.message ?? "")")
  }

  @Test func formatsWithSeparatorsAndYen() {
    #expect(YenAmount.format(12_000_000) == "12,000,000円")
    #expect(YenAmount.format(0) == "0円")
    #expect(YenAmount.format(999) == "999円")
    #expect(YenAmount.format(1_000) == "1,000円")
    #expect(YenAmount.format(-500_000) == "-500,000円")
    #expect(YenAmount.format(Int64.max) == "9,223,372,036,854,775,807円")
    #expect(YenAmount.format(Int64.min) == "-9,223,372,036,854,775,808円")
  }

  @Test func formatsCompactlyAndExactly() {
    #expect(YenAmount.compact(12_000_000) == "1,200万円")
    #expect(YenAmount.compact(120_000_000) == "1.2億円")
    #expect(YenAmount.compact(100_000_000) == "1億円")
    #expect(YenAmount.compact(10_000) == "1万円")
    #expect(YenAmount.compact(5_000) == "5,000円")
    #expect(YenAmount.compact(0) == "0円")
    #expect(YenAmount.compact(12_345_678) == "1,234.5678万円")
    #expect(YenAmount.compact(-300_000_000) == "-3億円")
    #expect(YenAmount.compact(1_050_000) == "105万円")
    #expect(YenAmount.compact(123_456_789_012) == "1,234.56789012億円")
    #expect(YenAmount.compact(2_500_000_000_000) == "2.5兆円")
  }

  /// What the CLI prints, the user can type back.
  @Test(arguments: [
    Int64(0), 1, 999, 10_000, 12_000_000, 120_000_000, 12_345_678, 1_234_567_890_123, -500_000, -120_005_000,
    999_999_999_999, Int64.max, -Int64.max,
  ])
  func formattedAmountsParseBack(_ yen: Int64) throws {
    #expect(try YenAmount.parse(YenAmount.format(yen), allowNegative: true) == yen)
    #expect(try YenAmount.parse(YenAmount.compact(yen), allowNegative: true) == yen)
  }
}
