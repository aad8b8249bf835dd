/// An error a handler answers with: a status, a stable machine-readable code and a
/// message for people.
///
/// Every error response the module sends, the parser's and the server's included, is
/// rendered by ``response`` as `{"error":{"code":"…","message":"…"}}`. The message is sent
/// to the client, so it must not carry internal detail; anything unexpected should become
/// ``internalServerError``, whose message says nothing.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
  public let status: HTTPStatus
  /// A short kebab-case identifier clients can match on, e.g. `not-found`.
  public let code: String
  public let message: String

  /// An error with `status`, `message`, and `code` (by default derived from the status's
  /// reason phrase: 413 gives `content-too-large`).
  public init(_ status: HTTPStatus, code: String? = nil, message: String) {
    self.status = status
    self.code = code ?? HTTPError.defaultCode(for: status)
    self.message = message
  }

  /// The 500 answered when something unexpected happened; it leaks nothing.
  public static let internalServerError = HTTPError(
    .internalServerError, message: "The server could not complete the request.")

  public static func badRequest(_ message: String) -> HTTPError { HTTPError(.badRequest, message: message) }

  public static func notFound(_ message: String = "No such resource.") -> HTTPError {
    HTTPError(.notFound, message: message)
  }

  public static func methodNotAllowed(_ message: String = "The method is not allowed here.") -> HTTPError {
    HTTPError(.methodNotAllowed, message: message)
  }

  /// The reason phrase in kebab case (`Request Header Fields Too Large` gives
  /// `request-header-fields-too-large`), or `status-NNN` for a status without one.
  public static func defaultCode(for status: HTTPStatus) -> String {
    let words = status.reasonPhrase.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
    return words.isEmpty ? "status-\(status.code)" : words.joined(separator: "-")
  }

  public var description: String { "\(status.code) \(code): \(message)" }
}
