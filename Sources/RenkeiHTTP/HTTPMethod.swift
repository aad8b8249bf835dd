/// The request methods the server knows: RFC 9110's, less CONNECT (a proxy's method, whose
/// authority-form target an origin server has no use for), plus PATCH (RFC 5789) and QUERY
/// (the safe method with content that OpenAPI 3.2 describes). A known method reaches the
/// handler, which answers 405 where a path does not serve it; any other token is refused by
/// the parser with 501, as RFC 9110 §9.1 asks for a method the server does not recognise.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
  case get = "GET"
  case head = "HEAD"
  case post = "POST"
  case put = "PUT"
  case delete = "DELETE"
  case options = "OPTIONS"
  case patch = "PATCH"
  case trace = "TRACE"
  case query = "QUERY"
}
