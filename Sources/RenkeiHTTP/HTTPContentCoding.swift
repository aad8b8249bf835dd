// Tests/long/run.sh builds its libFuzzer target from this module's sources and
// RenkeiCompression's as one module, where there is nothing to import.
#if canImport(RenkeiCompression)
  import RenkeiCompression
#endif

/// Content codings on the wire (RFC 9110 §8.4): gzip-coded request content is decoded
/// before a handler sees it (or, if the server is so configured, when the handler asks for
/// it with ``HTTPRequest/decodingContent()``), and a large response is gzip-coded for a
/// client that accepts it. Handlers write plain content only.
public enum HTTPContentCoding {
  /// The codings a request's content may carry, named in the 415 that refuses others.
  public static let acceptedRequestCodings = "gzip"

  /// `request` with its content decoded and its Content-Encoding field removed.
  ///
  /// - Parameter limit: the most bytes the decoded content may have, the same as for
  ///   plain content, so that a small compressed body cannot expand past it.
  /// - Throws: ``HTTPError``: 415 for a coding other than gzip (or identity) or for gzip
  ///   applied more than once, 400 for malformed gzip, 413 for content that decodes to
  ///   more than `limit` bytes.
  public static func decodingContent(of request: HTTPRequest, limit: Int) throws(HTTPError) -> HTTPRequest {
    guard try isGzipCoded(request) else {
      guard request.headers.contains(name: "Content-Encoding") else { return request }
      var plain = request
      plain.headers["Content-Encoding"] = nil
      return plain
    }
    var decoded = request
    do {
      decoded.body = try Gzip.decompress(request.body, limit: limit)
    } catch where error.kind == .outputLimitExceeded {
      throw HTTPError(.contentTooLarge, message: "The gzip content decodes to more than \(limit) bytes.")
    } catch {
      throw HTTPError(.badRequest, code: "malformed-gzip", message: "The gzip content is malformed: \(error.message)")
    }
    decoded.headers["Content-Encoding"] = nil
    return decoded
  }

  /// Whether `request`'s content is gzip-coded, from its Content-Encoding fields alone.
  /// Empty list elements and identity are ignored (RFC 9110 §5.6.1, §8.4.1).
  ///
  /// - Throws: ``HTTPError`` 415 for any other coding, and for gzip applied more than
  ///   once: each layer could expand the content up to the limit again, so stacked layers
  ///   would cost the server many decodings for one request.
  public static func isGzipCoded(_ request: HTTPRequest) throws(HTTPError) -> Bool {
    let codings = request.headers.values(for: "Content-Encoding")
      .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
      .map { String(decoding: Array($0.utf8).trimmingOptionalWhitespace(), as: UTF8.self).lowercased() }
      .filter { !$0.isEmpty && $0 != "identity" }
    guard !codings.isEmpty else { return false }
    guard codings.count == 1, codings[0] == "gzip" || codings[0] == "x-gzip" else {
      throw HTTPError(
        .unsupportedMediaType, code: "unsupported-content-encoding",
        message: "The request's Content-Encoding is not supported; send gzip once, or no Content-Encoding.")
    }
    return true
  }

  /// The answer to a request refused by ``decodingContent(of:limit:)``: for a 415, an
  /// Accept-Encoding field says what would be accepted (RFC 9110 §15.5.16); a 413 closes
  /// the connection, as every 413 of the server does, so a client sending bombs must
  /// connect again.
  public static func refusal(_ error: HTTPError) -> HTTPResponse {
    var response = error.response
    if error.status == .unsupportedMediaType { response.headers["Accept-Encoding"] = acceptedRequestCodings }
    if error.status == .contentTooLarge { response.headers["Connection"] = "close" }
    return response
  }

  /// `response` gzip-coded when the request accepts gzip, the content is at least
  /// `threshold` bytes, and coding makes it smaller. Whenever the choice depended on
  /// Accept-Encoding the response says so with `Vary`, for caches between.
  public static func encodingContent(
    of response: HTTPResponse, for request: HTTPRequest, threshold: Int
  ) -> HTTPResponse {
    let status = response.status.code
    guard response.body.count >= threshold, status >= 200, status != 204, status != 304,
      !response.headers.contains(name: "Content-Encoding")
    else { return response }
    var encoded = response
    if !encoded.headers.containsToken("Accept-Encoding", inField: "Vary") && !encoded.headers.containsToken("*", inField: "Vary") {
      encoded.headers.add(name: "Vary", value: "Accept-Encoding")
    }
    guard HTTPAcceptEncoding(request.headers.values(for: "Accept-Encoding")).prefersGzip else { return encoded }
    let compressed = Gzip.compress(response.body)
    guard compressed.count < response.body.count else { return encoded }
    encoded.body = compressed
    encoded.headers["Content-Encoding"] = "gzip"
    return encoded
  }
}
