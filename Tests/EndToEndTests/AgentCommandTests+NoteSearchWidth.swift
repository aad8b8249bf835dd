import Foundation
import Testing

/// Note search finds text whatever width and case it was written or typed in.
extension AgentCommandTests {
  @Test func noteSearchFindsFullWidthAndHalfWidthText() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let wide = try addNote(sandbox, directory, topic: "ＡＢＣ研修", body: "２０２６年度の計画\nｹｱﾏﾈｼﾞｬｰ連絡会\n")
    let narrow = try addNote(sandbox, directory, topic: "住まい確保", body: "abc 2025\n")
    for words in ["ABC", "abc", "ＡＢＣ"] {
      let found = try sandbox.json([JSONRecord].self, directory, "note", "search", words, "--json").map(\.id).sorted()
      #expect(found == [wide, narrow].sorted(), "\(words)")
    }
    for words in ["2026", "ケアマネ", "ケアマネジャー", "ｹｱﾏﾈ"] {
      #expect(try sandbox.json([JSONRecord].self, directory, "note", "search", words, "--json").map(\.id) == [wide], "\(words)")
    }
    // The note is shown as it was written.
    let shown = try sandbox.json(JSONRecord.self, directory, "note", "show", wide, "--json")
    #expect(shown.fields["topic"] == .string("ＡＢＣ研修"))
    #expect(try sandbox.ok(directory, "note", "search", "2026").hasSuffix("\n1 note matching 2026"))
  }
}
