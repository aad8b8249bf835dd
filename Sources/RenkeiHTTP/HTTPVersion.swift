/// The protocol version of a request line: `HTTP/` DIGIT `.` DIGIT (RFC 9112 §2.3).
///
/// The parser accepts only ``http1_1`` and ``http1_0``; any other well-formed version is
/// refused with 505 (HTTP Version Not Supported).
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
  public let major: Int
  public let minor: Int

  public init(major: Int, minor: Int) {
    self.major = major
    self.minor = minor
  }

  /// HTTP/1.1: persistent connections unless `Connection: close`.
  public static let http1_1 = HTTPVersion(major: 1, minor: 1)
  /// HTTP/1.0: one request per connection unless `Connection: keep-alive`.
  public static let http1_0 = HTTPVersion(major: 1, minor: 0)

  /// The version as it appears on the wire, e.g. `HTTP/1.1`.
  public var description: String { "HTTP/\(major).\(minor)" }
}
