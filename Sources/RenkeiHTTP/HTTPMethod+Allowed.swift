extension HTTPMethod {
  /// Whether a resource that serves `methods` answers this method. HEAD is answered
  /// wherever GET is, as GET without the content (RFC 9110 §9.3.2): the handler answers it
  /// exactly as GET, and the server sends the header fields — Content-Length and
  /// Content-Encoding included — and none of the content. So a route lists GET only.
  public func isAllowed(by methods: some Sequence<HTTPMethod>) -> Bool {
    methods.contains(self) || (self == .head && methods.contains(.get))
  }

  /// The value of the `Allow` field (RFC 9110 §10.2.1) for a resource that serves
  /// `methods`, in their order, with HEAD after GET when GET is served: `GET, HEAD`.
  public static func allowFieldValue(for methods: [HTTPMethod]) -> String {
    var allowed: [HTTPMethod] = []
    for method in methods where !allowed.contains(method) {
      allowed.append(method)
      if method == .get && !methods.contains(.head) { allowed.append(.head) }
    }
    return allowed.map(\.rawValue).joined(separator: ", ")
  }
}
