extension HTTPParseError {
  /// What rule a request broke. A struct over a private enum, so kinds can be added
  /// without breaking code that matches on them.
  public struct Kind: Sendable, Hashable, CustomStringConvertible {
    private enum Base: String, Sendable {
      case malformedRequestLine = "malformed-request-line"
      case unsupportedMethod = "unsupported-method"
      case unsupportedVersion = "unsupported-version"
      case invalidTarget = "invalid-target"
      case requestLineTooLong = "request-line-too-long"
      case bareLineFeed = "bare-line-feed"
      case bareCarriageReturn = "bare-carriage-return"
      case obsoleteLineFolding = "obsolete-line-folding"
      case malformedField = "malformed-field"
      case whitespaceBeforeColon = "whitespace-before-colon"
      case invalidFieldName = "invalid-field-name"
      case invalidFieldValue = "invalid-field-value"
      case headerTooLarge = "header-too-large"
      case missingHost = "missing-host"
      case multipleHosts = "multiple-hosts"
      case invalidHost = "invalid-host"
      case contentLengthWithTransferEncoding = "content-length-with-transfer-encoding"
      case invalidContentLength = "invalid-content-length"
      case conflictingContentLength = "conflicting-content-length"
      case transferEncodingNotImplemented = "transfer-encoding-not-implemented"
      case transferEncodingInHTTP10 = "transfer-encoding-in-http-1.0"
      case contentTooLarge = "content-too-large"
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// The request line is not `method SP request-target SP HTTP-version`. 400.
    public static let malformedRequestLine = Kind(.malformedRequestLine)
    /// The method is a valid token but not one ``HTTPMethod`` names. 501.
    public static let unsupportedMethod = Kind(.unsupportedMethod)
    /// The version is well-formed but neither HTTP/1.1 nor HTTP/1.0. 505.
    public static let unsupportedVersion = Kind(.unsupportedVersion)
    /// The request-target has a forbidden character, a bad `%` escape, non-UTF-8 after
    /// decoding, or a form the method may not use. 400.
    public static let invalidTarget = Kind(.invalidTarget)
    /// The request line alone is longer than the header limit. 414.
    public static let requestLineTooLong = Kind(.requestLineTooLong)
    /// A line ends in LF without CR. 400.
    public static let bareLineFeed = Kind(.bareLineFeed)
    /// A CR appears inside a line, not before its LF. 400.
    public static let bareCarriageReturn = Kind(.bareCarriageReturn)
    /// A field line starts with whitespace: obsolete line folding, or whitespace between
    /// the request line and the first field (RFC 9112 §2.2, §5.2). 400.
    public static let obsoleteLineFolding = Kind(.obsoleteLineFolding)
    /// A field line has no colon or an empty name. 400.
    public static let malformedField = Kind(.malformedField)
    /// Whitespace between a field name and its colon (RFC 9112 §5.1). 400.
    public static let whitespaceBeforeColon = Kind(.whitespaceBeforeColon)
    /// A field name is not a token. 400.
    public static let invalidFieldName = Kind(.invalidFieldName)
    /// A field value holds a control character. 400.
    public static let invalidFieldValue = Kind(.invalidFieldValue)
    /// The request line and fields together exceed the header limit. 431.
    public static let headerTooLarge = Kind(.headerTooLarge)
    /// An HTTP/1.1 request without Host (RFC 9112 §3.2). 400.
    public static let missingHost = Kind(.missingHost)
    /// More than one Host field line. 400.
    public static let multipleHosts = Kind(.multipleHosts)
    /// A Host value that is not `host[:port]`. 400.
    public static let invalidHost = Kind(.invalidHost)
    /// Both Content-Length and Transfer-Encoding: the classic smuggling shape. 400.
    public static let contentLengthWithTransferEncoding = Kind(.contentLengthWithTransferEncoding)
    /// A Content-Length that is not digits, or a list with an empty or non-digit member. 400.
    public static let invalidContentLength = Kind(.invalidContentLength)
    /// Content-Length values (in several lines or one list) that differ. 400.
    public static let conflictingContentLength = Kind(.conflictingContentLength)
    /// An HTTP/1.1 Transfer-Encoding of any coding: only Content-Length content is read. 501.
    public static let transferEncodingNotImplemented = Kind(.transferEncodingNotImplemented)
    /// Transfer-Encoding in an HTTP/1.0 request, whose framing is then faulty
    /// (RFC 9112 §6.1). 400.
    public static let transferEncodingInHTTP10 = Kind(.transferEncodingInHTTP10)
    /// A Content-Length above the body limit, refused before any content is read. 413.
    public static let contentTooLarge = Kind(.contentTooLarge)

    /// The status the server answers for this kind.
    public var status: HTTPStatus {
      switch base {
      case .unsupportedMethod, .transferEncodingNotImplemented: .notImplemented
      case .unsupportedVersion: .httpVersionNotSupported
      case .requestLineTooLong: .uriTooLong
      case .headerTooLarge: .requestHeaderFieldsTooLarge
      case .contentTooLarge: .contentTooLarge
      default: .badRequest
      }
    }

    public var description: String { base.rawValue }
  }
}
