import RenkeiCore

/// A site's bearer token: 32 random bytes, shown once as `rk_` and 64 hex digits.
///
/// The hub stores only the SHA-256 of the token. Tokens carry 256 bits of randomness, so
/// an unsalted hash is enough: nobody can guess one, and a stolen hub database does not
/// reveal them.
public struct AccessToken: Sendable, Hashable {
  public let text: String

  static let prefix = "rk_"

  /// A new token from the system's cryptographic random source (getrandom on Linux).
  public static func generate() -> AccessToken {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return AccessToken(text: prefix + bytes.map { hex($0) }.joined())
  }

  public init(text: String) { self.text = text }

  /// The hex SHA-256 the hub keeps and looks tokens up by.
  public var hash: String { SHA256.hexDigest(of: text) }

  /// True when the text has a token's shape; anything else is refused before hashing.
  public var isWellFormed: Bool {
    text.hasPrefix(Self.prefix) && text.utf8.count == Self.prefix.utf8.count + 64
      && text.utf8.dropFirst(Self.prefix.utf8.count).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
  }
}
