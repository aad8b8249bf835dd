import Foundation

extension HTTPResponse {
  /// The media type of JSON content (RFC 8259 §11; it takes no charset parameter).
  public static let jsonContentType = "application/json"

  /// A response whose content is already-encoded JSON.
  public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], json: [UInt8]) {
    var headers = headers
    headers.replaceOrAdd(name: "Content-Type", value: HTTPResponse.jsonContentType)
    self.init(status: status, headers: headers, body: json)
  }

  /// A response whose content is `value` encoded with `encoder`.
  ///
  /// Encoding fails only on a programming error (e.g. a non-finite `Double`); the handler
  /// cannot throw, so that failure becomes ``HTTPError/internalServerError``, which says
  /// nothing about the value.
  public static func json(
    _ value: some Encodable,
    status: HTTPStatus = .ok,
    headers: HTTPHeaders = [:],
    encoder: JSONEncoder = JSONEncoder()
  ) -> HTTPResponse {
    guard let data = try? encoder.encode(value) else {
      return HTTPError.internalServerError.response
    }
    return HTTPResponse(status: status, headers: headers, json: [UInt8](data))
  }
}
