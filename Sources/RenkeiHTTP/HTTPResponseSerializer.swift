import Foundation

/// Turns a response into the bytes of an HTTP/1.1 message.
///
/// The serializer owns framing and connection management:
/// - The status line is always `HTTP/1.1` (RFC 9110 §6.2: a server sends the highest
///   minor version it conforms to, even to an HTTP/1.0 client).
/// - Content-Length is always written, except for 1xx, 204 and 304, which must not carry
///   one; for HEAD it gives the length the content would have had, and no content follows.
/// - `Connection: close` is written when the connection will close, and
///   `Connection: keep-alive` when an HTTP/1.0 client's connection will persist.
/// - Date is written when a date is given and the response has none.
/// - Content-Length, Transfer-Encoding and Connection fields in the response are dropped,
///   and so is any field whose name is not a token or whose value holds CR, LF, NUL or
///   another control character: a handler cannot split the response or break its framing.
///   ``isValid(_:)`` tells the server to answer 500 instead.
public enum HTTPResponseSerializer {
  /// The bytes of `response`.
  ///
  /// - Parameters:
  ///   - keepAlive: whether the connection stays open after this response.
  ///   - requestVersion: the request's version, to know whether persistence must be stated.
  ///   - isHeadRequest: whether to omit the content (the request was HEAD).
  ///   - date: the value for a Date field, or nil for none.
  public static func serialize(
    _ response: HTTPResponse,
    keepAlive: Bool,
    requestVersion: HTTPVersion = .http1_1,
    isHeadRequest: Bool = false,
    date: Date? = nil
  ) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256 + response.headers.count * 32 + response.body.count)
    let reason = response.status.reasonPhrase.utf8.filter(\.isFieldValueCharacter)
    out.append(contentsOf: "HTTP/1.1 \(response.status.code) ".utf8)
    out.append(contentsOf: reason)
    out.append(contentsOf: [.carriageReturn, .lineFeed])

    var hasDate = false
    for field in response.headers where isValid(field) && !isFramingField(field.name) {
      if HTTPHeaders.namesMatch(field.name, "Date") { hasDate = true }
      appendField(field.name, field.value, to: &out)
    }
    if let date, !hasDate {
      appendField("Date", HTTPDate.string(from: date), to: &out)
    }
    let permitsContent = response.status.permitsContent
    if permitsContent {
      appendField("Content-Length", String(response.body.count), to: &out)
    }
    if !keepAlive {
      appendField("Connection", "close", to: &out)
    } else if requestVersion == .http1_0 {
      appendField("Connection", "keep-alive", to: &out)
    }
    out.append(contentsOf: [.carriageReturn, .lineFeed])
    if permitsContent && !isHeadRequest {
      out.append(contentsOf: response.body)
    }
    return out
  }

  /// The interim `100 Continue` response that tells a client waiting on
  /// `Expect: 100-continue` to send its content.
  public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

  /// Whether every field of `response` can be sent as given.
  public static func isValid(_ response: HTTPResponse) -> Bool {
    response.headers.allSatisfy(isValid)
  }

  private static func isValid(_ field: HTTPHeaderField) -> Bool {
    !field.name.isEmpty && field.name.utf8.allSatisfy(\.isTokenCharacter)
      && field.value.utf8.allSatisfy(\.isFieldValueCharacter)
  }

  private static func isFramingField(_ name: String) -> Bool {
    HTTPHeaders.namesMatch(name, "Content-Length") || HTTPHeaders.namesMatch(name, "Transfer-Encoding")
      || HTTPHeaders.namesMatch(name, "Connection")
  }

  private static func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
    out.append(contentsOf: name.utf8)
    out.append(contentsOf: ": ".utf8)
    out.append(contentsOf: value.utf8)
    out.append(contentsOf: [.carriageReturn, .lineFeed])
  }
}
