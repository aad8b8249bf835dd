import RenkeiCore
import Testing

/// How a scope reads in lists and messages: a prefecture with the code `--scope` takes, a
/// bureau by its name.
@Suite struct ScopeLabelTests {
  @Test(arguments: [("11", "11 埼玉県"), ("01", "01 北海道"), ("13", "13 東京都"), ("kanto-shinetsu", "関東信越厚生局"), ("tohoku", "東北厚生局")])
  func aScopeReadsAsStaffNameIt(code: String, label: String) throws {
    #expect(try Scope(code).label == label)
  }
}
