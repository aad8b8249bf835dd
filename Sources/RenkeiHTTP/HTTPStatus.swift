/// An HTTP status code with the reason phrase sent on the status line (RFC 9110 §15).
///
/// Two statuses are equal when their codes are equal: the reason phrase is decoration that
/// clients must ignore (RFC 9112 §4).
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
  /// The three-digit status code.
  public let code: Int
  /// The text after the code on the status line, e.g. `Not Found`.
  public let reasonPhrase: String

  /// A status with `code` and, unless given, the standard reason phrase for that code
  /// (empty for codes this module does not name).
  ///
  /// - Precondition: `code` has three digits (100...999).
  public init(code: Int, reasonPhrase: String? = nil) {
    precondition((100...999).contains(code), "an HTTP status code has three digits")
    self.code = code
    self.reasonPhrase = reasonPhrase ?? HTTPStatus.standardReasonPhrase(for: code) ?? ""
  }

  /// Whether a response with this status carries content. 1xx, 204 and 304 never do
  /// (RFC 9110 §6.4.1), so the serializer writes neither their body nor a Content-Length.
  public var permitsContent: Bool {
    !(100..<200).contains(code) && code != 204 && code != 304
  }

  public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool { lhs.code == rhs.code }

  public func hash(into hasher: inout Hasher) { hasher.combine(code) }

  public var description: String { reasonPhrase.isEmpty ? "\(code)" : "\(code) \(reasonPhrase)" }
}
