import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

/// The direct reader is a fast path for `JSONDecoder`: on the canonical text Renkei writes
/// it must always answer (or the fast path is silently dead), and whatever text it answers
/// for, it must give the value `JSONDecoder` gives.
@Suite struct CanonicalJSONReaderTests {
  typealias Writer = CanonicalJSONWriterTests

  static func read<T: CanonicalJSONDecodable>(_ type: T.Type, _ text: String) -> T? { T.read(canonicalJSON: text) }

  static func decoded<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
    try? JSONDecoder().decode(type, from: Data(text.utf8))
  }

  /// Checks the reader on `text`: it must answer when `mustAnswer`, and an answer must be
  /// JSONDecoder's. Returns whether it answered.
  @discardableResult
  static func check<T: CanonicalJSONDecodable & Equatable>(_ type: T.Type, _ text: String, mustAnswer: Bool) -> Bool {
    let read = read(type, text)
    if mustAnswer { #expect(read != nil, "the reader gave up on canonical text \(text.debugDescription)") }
    if let read { #expect(read == decoded(type, text), "the reader and JSONDecoder differ on \(text.debugDescription)") }
    return read != nil
  }

  static func randomChange(_ random: inout SplitMix64) throws -> Change {
    let writer = WriterID(site: SiteID(rawValue: "saitama")!, epoch: UInt32(1 + random.below(9)))
    return Change(
      origin: writer, sequence: UInt64(1 + random.below(1000)), kind: RecordKind.allCases[random.below(RecordKind.allCases.count)],
      recordID: try RecordID("r\(random.below(1_000_000))"), scope: try Scope(random.below(2) == 0 ? "11" : "kanto-shinetsu"),
      operation: ChangeOperation.allCases[random.below(ChangeOperation.allCases.count)], fields: Writer.fields(&random),
      vector: Writer.vector(&random).incremented(for: writer), author: Writer.text(&random),
      timestamp: HybridTimestamp(milliseconds: Int64(random.below(1 << 40)), counter: UInt32(random.below(9))))
  }

  @Test func readsWhatTheWriterWritesAsJSONDecoderDoes() throws {
    var random = SplitMix64(seed: 0xDEC0DE)
    for _ in 0..<2_000 {
      Self.check(RecordFields.self, Writer.written(Writer.fields(&random)), mustAnswer: true)
      Self.check(VersionVector.self, Writer.written(Writer.vector(&random)), mustAnswer: true)
      let stamp = VersionStamp(
        writer: WriterID(site: SiteID(rawValue: "kanto-shinetsu")!, epoch: 3), author: Writer.text(&random),
        timestamp: HybridTimestamp(milliseconds: Int64(random.below(1 << 40)), counter: UInt32(random.below(9))))
      Self.check(VersionStamp.self, Writer.written(stamp), mustAnswer: true)
      Self.check(Change.self, Writer.written(try Self.randomChange(&random)), mustAnswer: true)
    }
  }

  @Test func readsConflictValuesAsJSONDecoderDoes() throws {
    var random = SplitMix64(seed: 0xC0DE)
    for _ in 0..<1_000 {
      let sides = try (0..<random.below(4)).map { _ in try Writer.version(&random) }
      Self.check([RecordVersion].self, Writer.written(sides), mustAnswer: true)
      Self.check([FieldConflict].self, Writer.written(Writer.fieldConflicts(&random)), mustAnswer: true)
      let related = try (0..<random.below(4)).map { _ in try RecordID("r\(random.below(1_000))") }
      Self.check([RecordID].self, Writer.written(related), mustAnswer: true)
      Self.check([VersionVector].self, Writer.written((0..<random.below(4)).map { _ in Writer.vector(&random) }), mustAnswer: true)
    }
    // Arrays of arrays, and arrays written otherwise than Renkei writes them.
    for text in [
      "[]", " [ ] ", "[[]]", #"[["r1"],["r2","r3"]]"#, "[,]", #"["r1",]"#, #"["r1"]x"#, #"["r1" "r2"]"#, "null", "{}",
      #"["r\u0031"]"#, #"["r\/1"]"#, "\u{FEFF}[\"r1\"]", #"["a b"]"#, #"["\ud800"]"#, "[\"e\u{301}\"]",
    ] {
      Self.check([RecordID].self, text, mustAnswer: false)
      Self.check([[RecordID]].self, text, mustAnswer: false)
    }
    #expect(Self.check([[RecordID]].self, #"[["r1"],[],["r2","r3"]]"#, mustAnswer: true))
    // An id RecordID refuses is JSONDecoder's to refuse, with its error.
    #expect(Self.read([RecordID].self, #"["ok", ""]"#) == nil)
    #expect(Self.decoded([RecordID].self, #"["ok", ""]"#) == nil)
    #expect(Self.check([RecordID].self, #"[ "a" , "b" ]"#, mustAnswer: false))
  }

  static func randomPage(_ random: inout SplitMix64) throws -> PullPage {
    let entries = try (0..<random.below(6)).map { position -> FeedEntry in
      let change = try randomChange(&random)
      let version = RecordVersion(
        kind: change.kind, recordID: change.recordID, state: RecordState(fields: change.fields, deleted: random.below(5) == 0),
        vector: change.vector, stamp: change.stamp)
      let conflict =
        random.below(3) == 0
        ? ConflictSummary(
          id: Int64(random.below(1000)), conflicts: [FieldConflict(field: "venue", rule: .differentValues)],
          sites: [SiteID(rawValue: "saitama")!, SiteID(rawValue: "gunma")!],
          sides: random.below(2) == 0 ? [] : [ConflictSide(version, fields: Array(change.fields.keys.prefix(2)))]) : nil
      let resolution =
        random.below(4) == 0
        ? ResolutionNote(
          conflictID: 7, resolvedBy: SiteID(rawValue: "kanto-shinetsu")!, author: Writer.text(&random), resolvedAt: "2026-11-24T10:00:00Z",
          reason: Writer.text(&random), choice: "record") : nil
      return FeedEntry(position: UInt64(position + 1), scope: change.scope, version: version, conflict: conflict, resolution: resolution)
    }
    return PullPage(entries: entries, cursor: UInt64(entries.count), hasMore: random.below(2) == 0)
  }

  /// Pull pages and pushes, as the hub and the agent send them (JSONEncoder with sorted keys).
  @Test func readsPagesAndPushesAsJSONDecoderDoes() throws {
    var random = SplitMix64(seed: 0xFEED)
    for _ in 0..<300 {
      Self.check(PullPage.self, try Writer.encoded(try Self.randomPage(&random)), mustAnswer: true)
      let push = PushRequest(changes: try (0..<random.below(5)).map { _ in try Self.randomChange(&random) })
      Self.check(PushRequest.self, try Writer.encoded(push), mustAnswer: true)
    }
    // JSONEncoder without sorted keys: the reader takes members in any order.
    let page = try Self.randomPage(&random)
    Self.check(PullPage.self, String(decoding: try JSONEncoder().encode(page), as: UTF8.self), mustAnswer: true)
  }

  /// Bytes from outside that are not UTF-8 are JSONDecoder's to refuse, never repaired
  /// into a value.
  @Test func invalidUTF8FromOutsideIsRefused() throws {
    var body = Array(#"{"changes":[]}"#.utf8)
    #expect(try CanonicalJSON.decode(PushRequest.self, from: Data(body)) == PushRequest(changes: []))
    body.insert(0xFF, at: 1)
    #expect(throws: (any Error).self) { try CanonicalJSON.decode(PushRequest.self, from: Data(body)) }
    #expect(throws: (any Error).self) { try CanonicalJSON.decode(PushRequest.self, from: Data(#"{"changes":[],"x":1}"#.utf8)) }
  }

  /// Decomposed text reads back in NFC, as JSONDecoder gives it.
  @Test func normalisesTextAsTheDecoderDoes() {
    let text = #"{"a":"か\#u{3099}","b":["e\#u{301}","x"],"c":"\u304b\u3099"}"#
    #expect(Self.read(RecordFields.self, text) == ["a": .string("が"), "b": .strings(["x", "é"]), "c": .string("が")])
    Self.check(RecordFields.self, text, mustAnswer: true)
  }

  /// Text JSON allows but Renkei never writes: escapes, whitespace, escaped slashes,
  /// surrogate pairs. The reader may answer, and then as JSONDecoder does.
  @Test func readsOtherValidJSONAsJSONDecoderDoes() {
    let texts = [
      #" { "title" : "a\/b\u00e9\ud83d\ude00\n" , "n" : -9223372036854775808 , "s" : [ "b" , "a" , "a" ] } "#,
      #"{"n":0,"m":-0,"z":null}"#,
      #"{}"#,
      #"{"x":"\u0000\u001f\"\\"}"#,
    ]
    for text in texts { Self.check(RecordFields.self, text, mustAnswer: true) }
    Self.check(VersionVector.self, #" { "saitama.1" : 18446744073709551615 } "#, mustAnswer: true)
  }

  /// What the reader must leave to JSONDecoder, which accepts some and names the error in
  /// the others.
  @Test func leavesTheUnusualToJSONDecoder() {
    let fields = [
      #"{"n":1.0}"#, #"{"n":1e2}"#, #"{"n":01}"#, #"{"n":9223372036854775808}"#, #"{"a":1,"a":2}"#, #"{"a":true}"#,
      #"{"a":[1]}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00x"}"#, #"{"a":"\x"}"#, "{\"a\":\"\u{1}\"}", #"{"a":1}x"#, #"{"a":1"#,
      #"{"a":1,}"#, #"{,"a":1}"#, #"{"a" 1}"#, #"["a"]"#, #""#, #"{"a":nul}"#, #"{"a":-}"#,
    ]
    for text in fields { #expect(!Self.check(RecordFields.self, text, mustAnswer: false), "read \(text.debugDescription)") }
    let vectors = [#"{"saitama":1}"#, #"{"saitama.0":1}"#, #"{"saitama.1":-1}"#, #"{"saitama.1":1,"saitama.1":2}"#]
    for text in vectors { #expect(!Self.check(VersionVector.self, text, mustAnswer: false), "read \(text.debugDescription)") }
    let stamps = [
      #"{"author":"a","timestamp":"1-0"}"#, #"{"author":"a","timestamp":"1-0","writer":"s.1","extra":1}"#,
      #"{"author":"a","timestamp":"x","writer":"s.1"}"#, #"{"author":"a","author":"b","timestamp":"1-0","writer":"s.1"}"#,
    ]
    for text in stamps { #expect(!Self.check(VersionStamp.self, text, mustAnswer: false), "read \(text.debugDescription)") }
  }

  /// Random damage to canonical text — a byte changed, dropped or repeated, the text cut
  /// short — never makes the reader answer differently from JSONDecoder.
  @Test func damagedTextNeverReadsDifferently() throws {
    var random = SplitMix64(seed: 0xBAD)
    let damages: [Unicode.Scalar] = ["\"", "\\", ",", ":", "{", "}", "[", "]", "0", "9", "-", ".", "e", " ", "n", "u", "\u{1}", "é"]
    for _ in 0..<3_000 {
      var text = Array(Writer.written(try Self.randomChange(&random)).unicodeScalars)
      guard !text.isEmpty else { continue }
      let at = random.below(text.count)
      switch random.below(4) {
      case 0: text[at] = damages[random.below(damages.count)]
      case 1: text.remove(at: at)
      case 2: text.insert(text[at], at: at)
      default: text.removeSubrange(at...)
      }
      Self.check(Change.self, String(String.UnicodeScalarView(text)), mustAnswer: false)
    }
  }
}
