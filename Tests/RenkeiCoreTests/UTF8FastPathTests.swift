import Foundation
import RenkeiTestSupport
import Testing

@testable import RenkeiCore

/// Stored JSON is decoded from the database's bytes, and text is checked byte by byte
/// instead of scalar by scalar. Each fast path must answer exactly as the path it replaces:
/// the same value or the same error, on canonical, damaged and invalid UTF-8 input alike.
@Suite struct UTF8FastPathTests {
  typealias Writer = CanonicalJSONWriterTests

  /// The result of decoding, comparable: the value, or the error's description.
  static func outcome<T: Equatable>(_ decode: () throws -> T) -> Result<T, DescribedError> {
    Result { try decode() }.mapError { DescribedError(description: String(describing: $0)) }
  }

  struct DescribedError: Error, Equatable {
    let description: String
  }

  /// Decoding `bytes` in place must give what decoding the string made of them gives.
  static func checkBytes<T: CanonicalJSONDecodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) {
    let direct = outcome { try bytes.withUnsafeBufferPointer { try CanonicalJSON.decode(type, fromUTF8: $0) } }
    let viaString = outcome { try CanonicalJSON.decode(type, from: String(decoding: bytes, as: UTF8.self)) }
    #expect(direct == viaString, "\(T.self) from \(bytes.map { String($0, radix: 16) }.joined(separator: " "))")
  }

  /// Bytes that are not UTF-8 on their own: a lone continuation byte, a cut sequence, an
  /// overlong form, a surrogate, a byte that never appears in UTF-8.
  static let invalidUTF8: [[UInt8]] = [[0x80], [0xE3, 0x81], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80]]

  static func damaged(_ text: String, _ random: inout SplitMix64) -> [UInt8] {
    var bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return bytes }
    let at = random.below(bytes.count)
    switch random.below(5) {
    case 0: bytes.insert(contentsOf: invalidUTF8[random.below(invalidUTF8.count)], at: at)
    case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
    case 2: bytes.remove(at: at)
    case 3: bytes.removeSubrange(at...)
    default: bytes.insert(bytes[at], at: at)
    }
    return bytes
  }

  @Test func bytesDecodeAsTheirStringDoes() throws {
    var random = SplitMix64(seed: 0xB17E5)
    for _ in 0..<3_000 {
      let fields = Writer.written(Writer.fields(&random))
      let vector = Writer.written(Writer.vector(&random))
      let change = Writer.written(try CanonicalJSONReaderTests.randomChange(&random))
      let stamp = Writer.written(try CanonicalJSONReaderTests.randomChange(&random).stamp)
      // Text of another shape: both paths refuse it alike.
      Self.checkBytes(RecordFields.self, Array([vector, change, stamp][random.below(3)].utf8))
      Self.checkBytes(RecordFields.self, Array(fields.utf8))
      Self.checkBytes(RecordFields.self, Self.damaged(fields, &random))
      Self.checkBytes(VersionVector.self, Array(vector.utf8))
      Self.checkBytes(VersionVector.self, Self.damaged(vector, &random))
      Self.checkBytes(VersionStamp.self, Array(stamp.utf8))
      Self.checkBytes(VersionStamp.self, Self.damaged(stamp, &random))
      Self.checkBytes(Change.self, Self.damaged(change, &random))
    }
  }

  @Test func pagesAndConflictsDecodeFromBytesAsFromText() throws {
    var random = SplitMix64(seed: 0xC0F1)
    for _ in 0..<300 {
      let page = try CanonicalJSONReaderTests.randomPage(&random)
      let text = try Writer.encoded(page)
      Self.checkBytes(PullPage.self, Array(text.utf8))
      Self.checkBytes(PullPage.self, Self.damaged(text, &random))
      for entry in page.entries {
        if let conflict = entry.conflict { Self.checkBytes(ConflictSummary.self, Array(try Writer.encoded(conflict).utf8)) }
        if let resolution = entry.resolution { Self.checkBytes(ResolutionNote.self, Array(try Writer.encoded(resolution).utf8)) }
      }
    }
  }

  /// Invalid UTF-8 inside a string is repaired as `String(decoding:)` repairs it; outside
  /// one it is an error, the same error.
  @Test func invalidUTF8DecodesAsItsRepairedText() {
    for invalid in Self.invalidUTF8 {
      Self.checkBytes(RecordFields.self, Array(#"{"title":""#.utf8) + invalid + Array(#"x"}"#.utf8))
      Self.checkBytes(RecordFields.self, Array(#"{"title":"a"}"#.utf8) + invalid)
      Self.checkBytes(RecordFields.self, Array(#"{"#.utf8) + invalid + Array(#""a":1}"#.utf8))
    }
    let lone: [UInt8] = [0x80]
    #expect(lone.withUnsafeBufferPointer { try? CanonicalJSON.decode(RecordFields.self, fromUTF8: $0) } == nil)
    let inString = (Array(#"{"t":"a"#.utf8) + [0xFF] + Array(#""}"#.utf8)).withUnsafeBufferPointer {
      try? CanonicalJSON.decode(RecordFields.self, fromUTF8: $0)
    }
    #expect(inString == ["t": .string("a\u{FFFD}")])
  }

  /// Scalars from every class the checks tell apart: ASCII controls and text, C1 controls,
  /// Latin-1, kana, ideographs, combining marks, compatibility ideographs, astral scalars.
  static let scalars: [Unicode.Scalar] = [
    "\u{0}", "\u{9}", "\u{A}", "\u{D}", "\u{1F}", " ", "a", "~", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "é", "ÿ",
    "\u{100}", "\u{301}", "\u{7FF}", "\u{800}", "\u{2028}", "\u{212B}", "あ", "が", "\u{3099}", "\u{302A}", "ー", "認", "\u{F900}",
    "\u{FEFF}", "ｶ", "\u{FFFD}", "😀", "\u{20000}", "\u{2A6DF}", "\u{2F800}", "\u{10FFFF}",
  ]

  static func randomText(_ random: inout SplitMix64) -> String {
    String(String.UnicodeScalarView((0..<random.below(10)).map { _ in scalars[random.below(scalars.count)] }))
  }

  @Test func theByteLevelNFCCheckAgreesWithTheScalars() {
    var random = SplitMix64(seed: 0x4E4643_42)
    for _ in 0..<20_000 {
      let text = Self.randomText(&random)
      #expect(NFCQuickCheck.isKnownNFC(text) == text.unicodeScalars.allSatisfy { NFCQuickCheck.isStable($0.value) }, "\(text.debugDescription)")
    }
    for scalar in Self.scalars {
      #expect(NFCQuickCheck.isKnownNFC("x" + String(scalar)) == NFCQuickCheck.isStable(scalar.value))
    }
  }

  @Test func theByteLevelControlCheckAgreesWithTheScalars() {
    var random = SplitMix64(seed: 0xC0_7201)
    func byScalars(_ text: String) -> Bool {
      text.unicodeScalars.contains { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && $0 != "\n" && $0 != "\t" && $0 != "\r" }
    }
    for _ in 0..<20_000 {
      let text = Self.randomText(&random)
      #expect(text.containsControlCharacter == byScalars(text), "\(text.debugDescription)")
    }
    for value in UInt32(0)...0x800 {
      let text = "a" + String(Unicode.Scalar(value)!) + "b"
      #expect(text.containsControlCharacter == byScalars(text), "U+\(String(value, radix: 16))")
    }
  }
}
