import Foundation

/// A record's identifier: a lowercase UUID for records made in Renkei, or the slug of an
/// imported source row (`ks-seminar-2016-07-19`). Lowercase ASCII letters, digits and `-`.
public struct RecordID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let rawValue: String

  public init(_ rawValue: String) throws(RecordValidationError) {
    guard !rawValue.isEmpty, rawValue.utf8.count <= 100 else {
      throw RecordValidationError(field: "id", reason: "must be 1 to 100 characters")
    }
    guard
      rawValue.utf8.allSatisfy({
        ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
          || $0 == UInt8(ascii: "-")
      })
    else {
      throw RecordValidationError(
        field: "id", reason: "\(rawValue.debugDescription) may hold only lowercase letters, digits and '-'")
    }
    self.rawValue = rawValue
  }

  /// A new random identifier.
  public static func random() -> RecordID {
    try! RecordID(UUID().uuidString.lowercased())
  }

  public var description: String { rawValue }
  public static func < (lhs: RecordID, rhs: RecordID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    do { self = try RecordID(raw) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
