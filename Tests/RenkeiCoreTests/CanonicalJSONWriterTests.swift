import Foundation
import RenkeiCore
import RenkeiTestSupport
import Testing

/// The direct writer must give exactly the bytes `JSONEncoder` gives with sorted keys and
/// unescaped slashes: stored vectors are looked up as text, and a replayed change is
/// recognised by comparing its encoding with the stored one.
@Suite struct CanonicalJSONWriterTests {
  static func encoded(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  static func written(_ value: some CanonicalJSONEncodable) -> String {
    var json = CanonicalJSONWriter()
    json.write(value)
    return json.text
  }

  /// Every ASCII character (controls, quote, backslash, slash, DEL), line separators,
  /// Japanese, a combining mark, an emoji.
  static let alphabet: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + [
    "\u{2028}", "\u{2029}", "\u{85}", "\u{A0}", "認", "知", "症", "ｶ", "が", "\u{3099}", "é", "e\u{301}", "😀", "\u{FEFF}",
  ]
  static let keys = ["a", "B", "b", "_x", "x-y", "xy", "title", "co_hosts", "Z9", "z10", "z2", "é", "東京", "ｚ", ""]

  static func text(_ random: inout SplitMix64) -> String {
    (0..<random.below(12)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
  }

  static func value(_ random: inout SplitMix64) -> FieldValue {
    switch random.below(4) {
    case 0: return .null
    case 1: return .string(text(&random))
    case 2: return .integer(Int64(bitPattern: random.next()) >> random.below(64))
    default: return .strings((0..<random.below(4)).map { _ in text(&random) })
    }
  }

  static func fields(_ random: inout SplitMix64) -> RecordFields {
    Dictionary((0..<random.below(8)).map { _ in (keys[random.below(keys.count)], value(&random)) }) { first, _ in first }
  }

  static func vector(_ random: inout SplitMix64) -> VersionVector {
    let sites = ["saitama", "saitama-2", "kanto-shinetsu", "a1", "a10", "a2", "a-1", "z"]
    return VersionVector(
      Dictionary(
        (0..<random.below(5)).map { _ in
          (WriterID(site: SiteID(rawValue: sites[random.below(sites.count)])!, epoch: UInt32(1 + random.below(12))), random.next() >> 1)
        }
      ) { first, _ in first })
  }

  @Test func writtenEqualsEncodedOnRandomValues() throws {
    var random = SplitMix64(seed: 0x5EED)
    for _ in 0..<3_000 {
      let fields = Self.fields(&random)
      #expect(Self.written(fields) == (try Self.encoded(fields)))
      let vector = Self.vector(&random)
      #expect(Self.written(vector) == (try Self.encoded(vector)))
      let writer = WriterID(site: SiteID(rawValue: "saitama")!, epoch: UInt32(1 + random.below(9)))
      let stamp = VersionStamp(
        writer: writer, author: Self.text(&random), timestamp: HybridTimestamp(milliseconds: Int64(random.below(1 << 40)), counter: UInt32(random.below(9))))
      #expect(Self.written(stamp) == (try Self.encoded(stamp)))
      let change = Change(
        origin: writer, sequence: UInt64(1 + random.below(1000)), kind: RecordKind.allCases[random.below(RecordKind.allCases.count)],
        recordID: try RecordID("r\(random.below(1_000_000))"), scope: try Scope(random.below(2) == 0 ? "11" : "kanto-shinetsu"),
        operation: ChangeOperation.allCases[random.below(ChangeOperation.allCases.count)], fields: fields,
        vector: vector.incremented(for: writer), author: Self.text(&random), timestamp: stamp.timestamp)
      #expect(Self.written(change) == (try Self.encoded(change)))
    }
  }

  static func version(_ random: inout SplitMix64) throws -> RecordVersion {
    let writer = WriterID(site: SiteID(rawValue: "kanto-shinetsu")!, epoch: UInt32(1 + random.below(3)))
    return RecordVersion(
      kind: RecordKind.allCases[random.below(RecordKind.allCases.count)], recordID: try RecordID("r\(random.below(1_000_000))"),
      state: RecordState(fields: fields(&random), deleted: random.below(2) == 0), vector: vector(&random),
      stamp: VersionStamp(
        writer: writer, author: text(&random),
        timestamp: HybridTimestamp(milliseconds: Int64(random.below(1 << 40)), counter: UInt32(random.below(9)))))
  }

  static func fieldConflicts(_ random: inout SplitMix64) -> [FieldConflict] {
    (0..<random.below(4)).map { _ in
      FieldConflict(field: keys[random.below(keys.count)], rule: ConflictRule.allCases[random.below(ConflictRule.allCases.count)])
    }
  }

  /// What a conflict row holds: its fields, its sides and base, the records it relates to.
  @Test func writtenEqualsEncodedForConflictValues() throws {
    var random = SplitMix64(seed: 0xC0FF)
    for _ in 0..<1_000 {
      let sides = try (0..<random.below(4)).map { _ in try Self.version(&random) }
      #expect(Self.written(sides) == (try Self.encoded(sides)))
      if let side = sides.first {
        #expect(Self.written(side) == (try Self.encoded(side)))
        #expect(Self.written(side.state) == (try Self.encoded(side.state)))
      }
      let conflicts = Self.fieldConflicts(&random)
      #expect(Self.written(conflicts) == (try Self.encoded(conflicts)))
      let related = try (0..<random.below(4)).map { _ in try RecordID("r\(random.below(1_000))") }
      #expect(Self.written(related) == (try Self.encoded(related)))
      let frontier = (0..<random.below(4)).map { _ in Self.vector(&random) }
      #expect(Self.written(frontier) == (try Self.encoded(frontier)))
    }
  }

  @Test func escapesAsJSONEncoderDoes() throws {
    let nasty = FieldValue.string("a/b\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}\"\\\u{2028}é😀")
    #expect(Self.written(["k": nasty]) == #"{"k":"a/b\u0000\u0001\b\t\n\f\r\u001f\#u{7F}\"\\\#u{2028}é😀"}"#)
    #expect(Self.written(["k": nasty]) == (try Self.encoded(["k": nasty] as RecordFields)))
  }
}
