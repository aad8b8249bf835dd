import Foundation
import RenkeiCore
import Testing

/// Text is stored with LF line endings, whatever the editor saved: the same body written on
/// Windows and elsewhere is the same text, and merges line by line.
@Suite struct LineEndingTests {
  @Test(arguments: [
    ("一行目\r\n二行目\r\n", "一行目\n二行目\n"),
    ("一行目\r二行目\r", "一行目\n二行目\n"),
    ("a\r\n\r\nb", "a\n\nb"),
    ("a\r\r\nb", "a\n\nb"),
    ("a\n\rb", "a\n\nb"),
    ("\r", "\n"),
    ("no line ends", "no line ends"),
    ("一行目\n二行目", "一行目\n二行目"),
    // NFC still applies, before or after a line end.
    ("e\u{301}\r\nか\u{3099}", "\u{E9}\nが"),
  ])
  func textIsStoredWithLineFeeds(typed: String, stored: String) {
    #expect(FieldValue.text(typed) == .string(stored))
    #expect(FieldValue.normalForm(typed).unicodeScalars.elementsEqual(stored.unicodeScalars))
  }

  @Test func setEntriesAreNormalisedToo() {
    #expect(FieldValue.set(["a\r\nb", "c"]) == .strings(["a\nb", "c"]))
  }

  @Test func decodingAChangeNormalisesItsText() throws {
    let json = #"{"body":"一行目\r\n二行目\r\n","topic":"ヒアリング"}"#
    let fields = try CanonicalJSON.decode(RecordFields.self, from: json)
    #expect(fields["body"] == .string("一行目\n二行目\n"))
    let viaFoundation = try JSONDecoder().decode(RecordFields.self, from: Data(json.utf8))
    #expect(viaFoundation["body"] == .string("一行目\n二行目\n"))
  }

  @Test func aNoteWrittenWithCRLFHasTheNormalFormOfTheLFNote() throws {
    func note(_ body: String) throws -> RecordFields {
      try Record(
        kind: .note, id: RecordID("n1"),
        fields: ["scope": .string("11"), "topic": .string("ヒアリング"), "held_on": .string("2023-06-12"), "body": .string(body)]
      ).fields
    }
    #expect(try note("1. 開会\r\n2. 報告\r\n") == (try note("1. 開会\n2. 報告\n")))
  }

  /// What the line endings used to cost: each side's edit of a different line, one of them
  /// saved with CR LF, overlapped on every line.
  @Test func editsOfDifferentLinesSavedWithDifferentLineEndingsMerge() {
    let base = "1. 開会\n2. 報告\n3. 閉会\n"
    let ours = FieldValue.normalForm("1. 開会（10時）\r\n2. 報告\r\n3. 閉会\r\n")
    let theirs = "1. 開会\n2. 報告\n3. 閉会（12時）\n"
    #expect(TextMerge.merge(base: base, ours: ours, theirs: theirs) == .merged("1. 開会（10時）\n2. 報告\n3. 閉会（12時）\n"))
  }
}
