import Foundation

/// A complete HTTP/1.x request: the request line, header fields and content.
///
/// The parser produces these; tests and routers may build them with
/// ``init(method:target:version:headers:body:)``.
public struct HTTPRequest: Sendable, Hashable {
  public var method: HTTPMethod
  /// The request-target exactly as it appeared on the request line.
  public var target: String
  /// The target's path, still percent-encoded (`*` for an asterisk-form OPTIONS).
  /// For an absolute-form target this is the path after the authority.
  public var path: String
  /// The path split on `/`, each segment percent-decoded: `/records/a%2Fb` gives
  /// `["records", "a/b"]`, `/` gives `[]`, and a trailing slash gives a final `""`.
  public var pathSegments: [String]
  /// The query as received, still percent-encoded and without the `?`; nil when absent.
  public var query: String?
  /// The query split on `&` into decoded items, in order (see ``HTTPQueryItem``).
  public var queryItems: [HTTPQueryItem]
  public var version: HTTPVersion
  public var headers: HTTPHeaders
  /// The content, exactly Content-Length bytes (empty when there was none).
  public var body: [UInt8]
  /// Whether the client allows the connection to carry another request after this one:
  /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
  public var keepAlive: Bool
  /// The most bytes gzip-coded content may decode to in ``decodingContent()``; the server
  /// sets its own limit on plain content here.
  public var decodedContentLimit = HTTPRequestParser.defaultMaxBodyBytes

  /// A request for `target`, parsed as the parser would parse it.
  ///
  /// - Returns: nil if `target` is not a valid request-target for `method`.
  public init?(
    method: HTTPMethod,
    target: String,
    version: HTTPVersion = .http1_1,
    headers: HTTPHeaders = [:],
    body: [UInt8] = []
  ) {
    guard let parsed = try? HTTPRequestTarget.parse(Array(target.utf8), method: method) else {
      return nil
    }
    self.init(
      method: method, target: target, parsedTarget: parsed, version: version, headers: headers,
      body: body, keepAlive: HTTPRequest.defaultKeepAlive(version: version, headers: headers)
    )
  }

  init(
    method: HTTPMethod,
    target: String,
    parsedTarget: HTTPRequestTarget,
    version: HTTPVersion,
    headers: HTTPHeaders,
    body: [UInt8],
    keepAlive: Bool
  ) {
    self.method = method
    self.target = target
    self.path = parsedTarget.path
    self.pathSegments = parsedTarget.pathSegments
    self.query = parsedTarget.query
    self.queryItems = parsedTarget.queryItems
    self.version = version
    self.headers = headers
    self.body = body
    self.keepAlive = keepAlive
  }

  /// This request with its content decoded, within ``decodedContentLimit``: what a
  /// handler of a server that leaves decoding to it
  /// (``HTTPServer/Configuration/decodesRequestContent`` false) calls once it knows the
  /// request deserves the work. Plain content is returned as it is.
  ///
  /// - Throws: ``HTTPError`` as ``HTTPContentCoding/decodingContent(of:limit:)`` does;
  ///   ``HTTPContentCoding/refusal(_:)`` turns it into the answer.
  public func decodingContent() throws(HTTPError) -> HTTPRequest {
    try HTTPContentCoding.decodingContent(of: self, limit: decodedContentLimit)
  }

  /// The content as `Data`, for `JSONDecoder`.
  public var bodyData: Data { Data(body) }

  /// RFC 9112 §9.3: a `close` connection option ends the connection; otherwise HTTP/1.1
  /// persists and HTTP/1.0 persists only when asked to.
  static func defaultKeepAlive(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
    if headers.containsToken("close", inField: "Connection") { return false }
    if version == .http1_1 { return true }
    return headers.containsToken("keep-alive", inField: "Connection")
  }
}
