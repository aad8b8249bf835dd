import Testing

@testable import RenkeiAgent

@Suite struct TextTableTests {
  func schedule() -> TextTable {
    var table = TextTable(columns: [
      .init("日付"), .init("名称", maxWidth: 14), .init("会場"), .init("参加者", alignment: .right),
    ])
    table.append(["2023-05-30", "都県協議会", "講堂", "33"])
    table.append(["2023-07-19", "地域包括ケア応援セミナー", "Zoom", "1,204"])
    table.append(["2023-10", "Case study 事例研究会", "ｻｲﾀﾏ会館", ""])
    return table
  }

  @Test func japaneseAndASCIILineUp() {
    let expected = [
      "日付        名称            会場      参加者",
      "----------  --------------  --------  ------",
      "2023-05-30  都県協議会      講堂          33",
      "2023-07-19  地域包括ケア…   Zoom       1,204",
      "2023-10     Case study 事…  ｻｲﾀﾏ会館",
    ].map { $0 + "\n" }.joined()
    #expect(schedule().render() == expected)
  }

  /// Independently of the exact text: every column starts at the same display column on
  /// every line, however wide the characters before it.
  @Test func columnsStartAtTheSameDisplayColumnOnEveryLine() {
    let lines = schedule().render().split(separator: "\n").map(String.init)
    let separatorStarts = columnStarts(lines[1])
    #expect(separatorStarts == [0, 12, 28, 38])
    for line in lines {
      for start in separatorStarts.dropFirst() {
        // The two columns before each start are the gap: spaces on every line.
        let prefix = prefix(of: line, width: start)
        #expect(DisplayWidth.of(prefix) == start || DisplayWidth.of(line) < start, "\(line)")
        #expect(prefix.hasSuffix("  ") || DisplayWidth.of(line) <= start, "\(line)")
      }
    }
  }

  @Test func rightAlignedNumbersAndHeaders() {
    var table = TextTable(columns: [.init("事業"), .init("決定額", alignment: .right), .init("残高", alignment: .right)])
    table.append(["介護従事者確保分", "12,000,000", "8,400,000"])
    table.append(["地域支援事業交付金", "500,000", "-1,000"])
    let expected = [
      "事業                    決定額       残高",
      "------------------  ----------  ---------",
      "介護従事者確保分    12,000,000  8,400,000",
      "地域支援事業交付金     500,000     -1,000",
    ].map { $0 + "\n" }.joined()
    #expect(table.render() == expected)
  }

  @Test func cellsStayOnOneLineAndShortRowsAreFilled() {
    var table = TextTable(columns: [.init("topic"), .init("body")])
    table.append(["認知症\nヒアリング", "line one\r\nline two\tend"])
    table.append(["only topic"])
    let expected = [
      "topic              body",
      "-----------------  ---------------------",
      "認知症 ヒアリング  line one line two end",
      "only topic",
    ].map { $0 + "\n" }.joined()
    #expect(table.render() == expected)
  }

  @Test func aTableWithoutRowsStillHasItsHeader() {
    let table = TextTable(columns: [.init("日付"), .init("金額", alignment: .right)])
    #expect(table.render() == "日付  金額\n----  ----\n")
  }

  @Test func headersAreTruncatedLikeCells() {
    var table = TextTable(columns: [.init("プログラム名称", maxWidth: 6), .init("x")])
    table.append(["ab", "1"])
    // "プロ…" is 5 columns: a third wide character would not fit beside the "…".
    #expect(table.render() == "プロ…  x\n-----  -\nab     1\n")
  }

  private func columnStarts(_ separator: String) -> [Int] {
    var starts: [Int] = []
    var previous: Character = " "
    for (offset, character) in separator.enumerated() {
      if character == "-" && previous == " " { starts.append(offset) }
      previous = character
    }
    return starts
  }

  private func prefix(of line: String, width: Int) -> String {
    var text = ""
    for character in line {
      if DisplayWidth.of(text) + DisplayWidth.of(character) > width { break }
      text.append(character)
    }
    return text
  }
}
