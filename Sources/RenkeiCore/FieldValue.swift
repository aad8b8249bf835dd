import Foundation

/// One field's value as it travels in changes and is merged: the schema-free form of a
/// record. Typed records (``Event``, ``FundEntry``, ``HearingNote``) convert to and from it.
///
/// JSON: `null`, a string, an integer, or an array of strings (a set, kept sorted).
public enum FieldValue: Sendable, Hashable, Codable, CustomStringConvertible {
  case null
  case string(String)
  case integer(Int64)
  /// A set of strings, always sorted and without duplicates.
  case strings([String])

  /// Text in normal form (``normalForm(_:)``), so the same text typed on two machines
  /// compares equal byte for byte in SQLite, in hashes and in the line merge.
  public static func text(_ value: String) -> FieldValue { .string(normalForm(value)) }

  /// A set of texts in normal form, sorted and deduplicated.
  public static func set<S: Sequence>(_ values: S) -> FieldValue where S.Element == String {
    let normal = values.map(normalForm)
    // Stored and validated sets are sorted and unique already: no need to sort them again.
    if zip(normal, normal.dropFirst()).allSatisfy({ $0 < $1 }) { return .strings(normal) }
    return .strings(Array(Set(normal)).sorted())
  }

  /// `value` as Renkei stores text: in NFC, with every line ending a line feed.
  ///
  /// A Windows editor or pasted text ends lines with CR LF, an old Mac's with a lone CR; the
  /// same body with other line endings would differ on every line, so the three-way line
  /// merge would see overlapping edits where there are none. CR LF and a lone CR become LF.
  /// Text that is plainly NFC already — every identifier, date and code, and nearly all
  /// Japanese text — skips Foundation's normaliser (see ``NFCQuickCheck``).
  public static func normalForm(_ value: String) -> String {
    let lines = containsCarriageReturn(value) ? withLineFeeds(value) : value
    return NFCQuickCheck.isKnownNFC(lines) ? lines : lines.precomposedStringWithCanonicalMapping
  }

  private static func containsCarriageReturn(_ value: String) -> Bool {
    var value = value
    return value.withUTF8 { $0.contains(0x0D) }
  }

  /// `value` with CR LF and a lone CR each replaced by LF. CR and LF are single UTF-8 bytes
  /// that occur in no other scalar's encoding, so the bytes can be rewritten as they are.
  private static func withLineFeeds(_ value: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(value.utf8.count)
    var afterCarriageReturn = false
    for byte in value.utf8 {
      if byte == 0x0A && afterCarriageReturn {
        afterCarriageReturn = false
        continue
      }
      afterCarriageReturn = byte == 0x0D
      bytes.append(afterCarriageReturn ? 0x0A : byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  public var isNull: Bool { self == .null }

  public var description: String {
    switch self {
    case .null: return "null"
    case .string(let value): return value.debugDescription
    case .integer(let value): return String(value)
    case .strings(let values): return "[" + values.map(\.debugDescription).joined(separator: ", ") + "]"
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(String.self) {
      // Strings first: they are most fields, and every failed attempt costs a thrown error.
      self = .text(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let values = try? container.decode([String].self) {
      self = .set(values)
    } else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "a field value must be null, a string, an integer or an array of strings")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .string(let value): try container.encode(value)
    case .integer(let value): try container.encode(value)
    case .strings(let values): try container.encode(values)
    }
  }
}

/// A record's fields by name, in the schema-free form used by changes and the merge.
public typealias RecordFields = [String: FieldValue]
