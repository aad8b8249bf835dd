import Foundation

/// What a handler answers: a status, header fields and content.
///
/// The serializer owns the framing: any Content-Length, Transfer-Encoding or Connection
/// field set here is replaced by the one it computes. A handler that wants the connection
/// closed after this response sets `Connection: close` and the server honours it.
public struct HTTPResponse: Sendable, Hashable {
  public var status: HTTPStatus
  public var headers: HTTPHeaders
  public var body: [UInt8]

  public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: Data) {
    self.init(status: status, headers: headers, body: [UInt8](body))
  }

  /// A `text/plain; charset=utf-8` response.
  public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
    HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
  }

  /// The content as `Data`.
  public var bodyData: Data { Data(body) }
}
