/// Why the parser refused a request, and how the server must answer.
///
/// Match on ``kind``; ``status`` is what to send. Every error today leaves the framing of
/// the byte stream unknown (a request whose head is refused has no trustworthy length), so
/// ``closesConnection`` is always true; it is a field so that a later parser can recover
/// from errors that leave the framing intact.
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
  public let kind: Kind
  /// A sentence for the client saying what was wrong; it quotes nothing it received.
  public let message: String
  /// Whether the connection must be closed after the error response.
  public let closesConnection: Bool

  public init(_ kind: Kind, message: String, closesConnection: Bool = true) {
    self.kind = kind
    self.message = message
    self.closesConnection = closesConnection
  }

  /// The status to answer with.
  public var status: HTTPStatus { kind.status }

  /// The error as the server renders it.
  public var httpError: HTTPError { HTTPError(status, message: message) }

  public var description: String { "\(status.code) (\(kind)): \(message)" }
}
