/// What ``HTTPRequestParser/next()`` found in the bytes fed so far.
public enum HTTPParseResult: Sendable, Hashable {
  /// A complete request; its bytes are consumed and any that follow belong to the next.
  case request(HTTPRequest)
  /// The bytes so far are a valid prefix of a request; feed more.
  case needsMoreData
  /// The bytes cannot be a valid request. The parser stays failed: every later call
  /// answers the same error.
  case error(HTTPParseError)
}
