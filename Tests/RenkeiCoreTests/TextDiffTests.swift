import Testing

@testable import RenkeiCore

@Suite struct TextDiffTests {
  @Test func equalTextsHaveNoDiff() {
    #expect(TextDiff.unified(from: "概要\n課題\n", to: "概要\n課題\n") == "")
  }

  @Test func oneChangedLineShowsAsRemovedAndAdded() {
    let base = "1\n2\n3\n4\n5\n6\n7\n8\n9\n"
    let side = "1\n2\n3\n4\n五\n6\n7\n8\n9\n"
    #expect(TextDiff.unified(from: base, to: side) == "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+五\n 6\n 7\n 8\n")
  }

  @Test func distantChangesMakeTwoHunks() {
    let base = (1...20).map(String.init).joined(separator: "\n") + "\n"
    let side = base.replacingOccurrences(of: "2\n", with: "二\n").replacingOccurrences(of: "\n19\n", with: "\n十九\n")
    let diff = TextDiff.unified(from: base, to: side)
    #expect(diff.components(separatedBy: "@@ -").count == 3, "\(diff)")
    #expect(diff.contains("-19\n+十九\n"))
  }

  @Test func insertionIntoAnEmptyTextCountsFromLineOne() {
    #expect(TextDiff.unified(from: "", to: "追記\n") == "@@ -0,0 +1,1 @@\n+追記\n")
  }

  @Test func deletionToEmpty() {
    #expect(TextDiff.unified(from: "a\nb\n", to: "") == "@@ -1,2 +0,0 @@\n-a\n-b\n")
  }
}
