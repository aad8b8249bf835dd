import Foundation

extension HTTPError {
  /// The one rendering of an error: `status`, `Content-Type: application/json`, and the
  /// body `{"error":{"code":"…","message":"…"}}` with the strings JSON-escaped.
  public var response: HTTPResponse {
    HTTPResponse(status: status, json: jsonBody)
  }

  /// The JSON body of ``response``.
  public var jsonBody: [UInt8] {
    struct Body: Encodable {
      struct Detail: Encodable {
        let code: String
        let message: String
      }
      let error: Detail
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(Body(error: .init(code: code, message: message))) else {
      // Encoding two strings cannot fail; this keeps the promise of a JSON body anyway.
      return Array(
        #"{"error":{"code":"internal-server-error","message":"The server could not complete the request."}}"#.utf8)
    }
    return [UInt8](data)
  }
}
