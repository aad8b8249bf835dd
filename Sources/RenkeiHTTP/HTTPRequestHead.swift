/// The request line and fields of a request whose head is being read.
struct HTTPRequestHead: Sendable {
  var method: HTTPMethod
  var target: String
  var parsedTarget: HTTPRequestTarget
  var version: HTTPVersion
  var headers: HTTPHeaders = [:]

  func request(body: [UInt8], keepAlive: Bool) -> HTTPRequest {
    HTTPRequest(
      method: method, target: target, parsedTarget: parsedTarget, version: version,
      headers: headers, body: body, keepAlive: keepAlive)
  }
}
