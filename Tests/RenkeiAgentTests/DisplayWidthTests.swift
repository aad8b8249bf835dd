import Testing

@testable import RenkeiAgent

@Suite struct DisplayWidthTests {
  struct Example: CustomTestStringConvertible, Sendable {
    let text: String
    let width: Int
    let what: String
    var testDescription: String { "\(what): \(text.debugDescription) → \(width)" }
  }

  static let examples: [Example] = [
    .init(text: "", width: 0, what: "empty"),
    .init(text: "abc", width: 3, what: "ASCII"),
    .init(text: "認知症", width: 6, what: "kanji"),
    .init(text: "ひらがな", width: 8, what: "hiragana"),
    .init(text: "カタカナ", width: 8, what: "katakana"),
    .init(text: "ｶﾀｶﾅ", width: 4, what: "half-width katakana"),
    .init(text: "ｶﾞ", width: 2, what: "half-width katakana with its voiced mark"),
    .init(text: "２０２３", width: 8, what: "full-width digits"),
    .init(text: "ＦＹ", width: 4, what: "full-width letters"),
    .init(text: "\u{3000}", width: 2, what: "ideographic space"),
    .init(text: "、。「」〜・", width: 12, what: "CJK punctuation"),
    .init(text: "￥", width: 2, what: "full-width yen sign"),
    .init(text: "¥", width: 1, what: "yen sign"),
    .init(text: "한국어", width: 6, what: "Hangul syllables"),
    .init(text: "\u{1100}\u{1161}", width: 2, what: "conjoining Hangul jamo"),
    .init(text: "㍻㋿", width: 4, what: "squared era names"),
    .init(text: "𠮷野家", width: 6, what: "an ideograph outside the BMP"),
    .init(text: "か\u{3099}", width: 2, what: "kana with a combining voiced mark"),
    .init(text: "e\u{301}", width: 1, what: "a letter with a combining accent"),
    .init(text: "\u{301}", width: 0, what: "a lone combining accent"),
    .init(text: "a\u{200B}b", width: 2, what: "zero-width space"),
    .init(text: "\u{200D}", width: 0, what: "zero-width joiner"),
    .init(text: "😀", width: 2, what: "emoji"),
    .init(text: "🩷", width: 2, what: "an emoji newer than the table"),
    .init(text: "👨‍👩‍👧", width: 2, what: "a ZWJ emoji sequence"),
    .init(text: "🇯🇵", width: 2, what: "a flag"),
    .init(text: "❤️", width: 2, what: "text symbol with emoji presentation selector"),
    .init(text: "❤", width: 1, what: "text symbol"),
    .init(text: "👍🏽", width: 2, what: "emoji with skin tone"),
    .init(text: "…○※", width: 3, what: "ambiguous width counts as narrow"),
    .init(text: "Ωж", width: 2, what: "Greek and Cyrillic"),
    .init(text: "\t\u{7}", width: 0, what: "control characters"),
    .init(text: "令和5年度", width: 9, what: "era year"),
    .init(text: "FY2023 / 令和5年度", width: 18, what: "fiscal year both ways"),
    .init(text: "Seminar 認知症ケア", width: 18, what: "English and Japanese"),
    .init(text: "さいたま新都心合同庁舎1号館講堂", width: 31, what: "venue with a digit"),
    .init(text: "1,200万円", width: 9, what: "compact amount"),
  ]

  @Test(arguments: examples)
  func countsColumns(_ example: Example) {
    #expect(DisplayWidth.of(example.text) == example.width)
  }

  @Test func truncatesToADisplayWidth() {
    #expect(DisplayWidth.truncate("地域包括ケア応援セミナー", toWidth: 10) == "地域包括…")
    #expect(DisplayWidth.truncate("認知症", toWidth: 5) == "認知…")
    #expect(DisplayWidth.truncate("認知症", toWidth: 6) == "認知症")
    #expect(DisplayWidth.truncate("abcdef", toWidth: 4) == "abc…")
    #expect(DisplayWidth.truncate("abc", toWidth: 3) == "abc")
    #expect(DisplayWidth.truncate("abc", toWidth: 1) == "…")
    #expect(DisplayWidth.truncate("abc", toWidth: 0) == "")
    #expect(DisplayWidth.truncate("ab認知", toWidth: 4) == "ab…")
    // A base and its combining mark are never split.
    #expect(DisplayWidth.truncate("か\u{3099}か\u{3099}か\u{3099}", toWidth: 5) == "か\u{3099}か\u{3099}…")
    for width in 0...30 {
      #expect(DisplayWidth.of(DisplayWidth.truncate("Seminar 認知症ケア 2023年度", toWidth: width)) <= width)
    }
  }

  @Test func padsToADisplayWidth() {
    #expect(DisplayWidth.pad("認知", toWidth: 6, alignment: .left) == "認知  ")
    #expect(DisplayWidth.pad("認知", toWidth: 6, alignment: .right) == "  認知")
    #expect(DisplayWidth.pad("認知症です", toWidth: 6, alignment: .left) == "認知症です")
  }
}
