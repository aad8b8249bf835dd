/// A hybrid-logical-clock reading: wall-clock milliseconds plus a counter that keeps
/// readings strictly increasing when the wall clock stalls or steps back.
///
/// Shown to people ("edited at …") and used as the last tie-break when choosing a
/// provisional version; never trusted for correctness, which comes from version vectors.
/// Encoded as `"<milliseconds>-<counter>"`, e.g. `"1685412000000-0"`.
public struct HybridTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  public let milliseconds: Int64
  public let counter: UInt32

  public init(milliseconds: Int64, counter: UInt32 = 0) {
    self.milliseconds = milliseconds
    self.counter = counter
  }

  public static let zero = HybridTimestamp(milliseconds: 0)

  public init?(rawValue: String) {
    // Exactly one "-", found as a byte: every stored stamp is parsed here.
    let utf8 = rawValue.utf8
    guard let dash = utf8.firstIndex(of: UInt8(ascii: "-")) else { return nil }
    let afterDash = utf8.index(after: dash)
    guard !utf8[afterDash...].contains(UInt8(ascii: "-")), let ms = Int64(rawValue[..<dash]), ms >= 0,
      let counter = UInt32(rawValue[afterDash...])
    else { return nil }
    self.init(milliseconds: ms, counter: counter)
  }

  public var rawValue: String { String(milliseconds) + "-" + String(counter) }
  public var description: String { rawValue }

  public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool {
    (lhs.milliseconds, lhs.counter) < (rhs.milliseconds, rhs.counter)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let value = HybridTimestamp(rawValue: raw) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(raw.debugDescription) is not a timestamp (milliseconds-counter)")
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
