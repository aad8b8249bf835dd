import RenkeiCore
import Testing

/// Search folds width and case the same way for the index and the words looked for.
@Suite struct SearchFoldingTests {
  @Test(arguments: [
    ("ＡＢＣ", "abc"), ("ABC", "abc"), ("abc", "abc"), ("Ａｂｃ", "abc"),
    ("２０２６年度", "2026年度"), ("令和８年", "令和8年"),
    ("ｹｱﾏﾈｼﾞｬｰ", "ケアマネジャー"), ("ｶﾞｲﾄﾞﾗｲﾝ", "ガイドライン"), ("ﾊﾟﾊﾟ", "パパ"),
    ("ケアマネジャー", "ケアマネジャー"), ("認知症施策", "認知症施策"),
    ("介護\u{3000}人材", "介護 人材"), ("㍻", "平成"),
    ("Joint Seminar", "joint seminar"), ("ΣΟΦΙΑ", "σοφια"),
  ])
  func textIsFoldedToOneWidthAndCase(text: String, folded: String) {
    #expect(SearchFolding.folded(text).unicodeScalars.elementsEqual(folded.unicodeScalars), "\(text)")
  }

  @Test func foldingTwiceChangesNothing() {
    for text in ["ＡＢＣ ｹｱﾏﾈ ２０２６", "Ｓｅｍｉｎａｒ 研修", "e\u{301}tude"] {
      let once = SearchFolding.folded(text)
      #expect(SearchFolding.folded(once) == once)
    }
  }
}
