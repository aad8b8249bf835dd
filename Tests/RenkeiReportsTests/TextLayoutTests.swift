import Testing

@testable import RenkeiReports

@Suite struct TextLayoutTests {
  @Test func breaksJapaneseTextToTheWidth() {
    let text = "高齢者の保健事業と介護予防の一体的な実施に係る意見交換会"
    let lines = TextLayout.lines(text, maxWidth: 120, fontSize: 12)
    #expect(lines.joined() == text)
    #expect(lines.allSatisfy { TextLayout.width($0, fontSize: 12) <= 120 })
    #expect(lines.count == 3)
  }

  @Test func punctuationNeverStartsALineAndOpeningBracketsNeverEndOne() {
    let text = "在宅医療・介護連携の推進（テスト）、地域包括ケアの「推進」について。"
    for width in stride(from: 40.0, through: 200, by: 12) {
      let lines = TextLayout.lines(text, maxWidth: width, fontSize: 12)
      #expect(lines.joined() == text)
      for line in lines.dropFirst() { #expect(!"、。）」・".contains(line.first!), "\(lines)") }
      for line in lines { #expect(!"（「".contains(line.last!), "\(lines)") }
    }
  }

  @Test func latinWordsStayWhole() {
    let lines = TextLayout.lines("TKP東京駅カンファレンスセンター Conference", maxWidth: 90, fontSize: 12)
    #expect(lines.first?.hasPrefix("TKP") == true)
    #expect(lines.contains { $0.contains("Conference") })
  }

  @Test func textBeyondTheLastLineEndsInAnEllipsis() {
    let lines = TextLayout.lines(String(repeating: "地域包括ケア", count: 20), maxWidth: 120, fontSize: 12, maxLines: 2)
    #expect(lines.count == 2)
    #expect(lines[1].hasSuffix("…"))
    #expect(TextLayout.width(lines[1], fontSize: 12) <= 120)
  }
}
