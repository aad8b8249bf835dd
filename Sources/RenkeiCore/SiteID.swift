/// The stable name of a site (a prefecture's replica, the bureau's, or the hub).
///
/// Lowercase ASCII letters, digits and `-`, 1 to 64 characters, starting with a letter or
/// digit: safe in URLs, file names, logs and version-vector keys without escaping.
public struct SiteID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let rawValue: String

  public init?(rawValue: String) {
    guard Self.isValid(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  /// Why `raw` is not a site id, or nil when it is one.
  public static func problem(with raw: String) -> String? {
    if raw.isEmpty { return "is empty" }
    if raw.utf8.count > 64 { return "is longer than 64 characters" }
    if raw.utf8.first == UInt8(ascii: "-") { return "starts with '-'" }
    if !raw.utf8.allSatisfy(Self.isAllowed) {
      return "may hold only lowercase letters a-z, digits and '-'"
    }
    return nil
  }

  static func isValid(_ raw: String) -> Bool { problem(with: raw) == nil }

  private static func isAllowed(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
  }

  public var description: String { rawValue }
  public static func < (lhs: SiteID, rhs: SiteID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    if let problem = Self.problem(with: raw) {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "site id \(raw.debugDescription) \(problem)")
    }
    self.rawValue = raw
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
