/// A pure HTTP/1.1 request parser: feed it bytes as they arrive, then call ``next()``
/// until it answers ``HTTPParseResult/needsMoreData``.
///
/// It does no I/O, so every framing rule is tested without sockets, and it gives the same
/// results however the bytes are split across ``feed(_:)`` calls: every rule is checked
/// when a whole line is available, lines in order, and size limits depend only on where
/// a line ends.
///
/// Framing is RFC 9112, strictly:
/// - The request line is exactly `method SP request-target SP HTTP-version CRLF`; empty
///   lines before it are skipped (§2.2) but count toward the header limit.
/// - Every line ends in CRLF. A bare LF is refused with 400 rather than tolerated: when
///   servers and intermediaries disagree on where a line ends, a request can be smuggled
///   past one of them, and no client the hub serves sends bare LF.
/// - Only Content-Length frames content. A request with Transfer-Encoding is refused:
///   501 for HTTP/1.1 (the hub never needs chunked uploads, and a coding the server does
///   not implement is 501 by §6.1), 400 when Content-Length is also present or the
///   request is HTTP/1.0 (both are faulty framing, §6.1, §6.3).
/// - The body limit is decided from Content-Length as soon as the head is complete, before
///   any content is read, so a client may be answered 413 while it is still uploading.
///
/// After a ``HTTPParseResult/request(_:)`` the parser is ready for the next request, which
/// may already be buffered (pipelining). After an error it stays failed.
public struct HTTPRequestParser: Sendable {
  public static let defaultMaxHeaderBytes = 64 * 1024
  public static let defaultMaxBodyBytes = 16 * 1024 * 1024

  /// The most bytes the request line and fields may take, CRLFs and the final empty line
  /// included. A longer request line is refused with 414, a longer head with 431.
  public let maxHeaderBytes: Int
  /// The largest Content-Length accepted; a larger one is refused with 413.
  public let maxBodyBytes: Int

  var buffer: [UInt8] = []
  /// Where the current request's bytes start in `buffer`.
  var requestStart = 0
  /// Where the line being read starts; during the body phase, where the content starts.
  var lineStart = 0
  /// How far `buffer` has been searched for the LF ending the current line.
  var scanIndex = 0
  var phase = Phase.requestLine
  var head: HTTPRequestHead?
  var bodyLength = 0
  var keepAlive = true
  var expectsContinue = false
  var continueSent = false
  var failure: HTTPParseError?

  /// A parser with the given limits.
  ///
  /// - Precondition: both limits are positive.
  public init(
    maxHeaderBytes: Int = HTTPRequestParser.defaultMaxHeaderBytes,
    maxBodyBytes: Int = HTTPRequestParser.defaultMaxBodyBytes
  ) {
    precondition(maxHeaderBytes > 0 && maxBodyBytes >= 0, "parser limits must be positive")
    self.maxHeaderBytes = maxHeaderBytes
    self.maxBodyBytes = maxBodyBytes
  }

  /// Appends received bytes. Ignored once the parser has failed.
  ///
  /// - Complexity: amortised O(n) in the bytes fed.
  public mutating func feed(_ bytes: some Sequence<UInt8>) {
    guard phase != .failed else { return }
    buffer.append(contentsOf: bytes)
  }

  /// Parses as far as the bytes fed allow.
  ///
  /// - Complexity: amortised O(n) in the bytes fed since the last call: each byte is
  ///   scanned once for a line end.
  public mutating func next() -> HTTPParseResult {
    while true {
      switch phase {
      case .failed:
        return .error(failure!)

      case .body:
        guard buffer.count - lineStart >= bodyLength else { return .needsMoreData }
        let end = lineStart + bodyLength
        let request = head!.request(body: Array(buffer[lineStart..<end]), keepAlive: keepAlive)
        finishRequest(consumedUpTo: end)
        return .request(request)

      case .requestLine, .fields:
        guard let lineFeed = buffer[scanIndex...].firstIndex(of: .lineFeed) else {
          scanIndex = buffer.count
          if buffer.count - requestStart > maxHeaderBytes { return fail(sizeFailure()) }
          return .needsMoreData
        }
        if lineFeed + 1 - requestStart > maxHeaderBytes { return fail(sizeFailure()) }
        guard lineFeed > lineStart, buffer[lineFeed - 1] == .carriageReturn else {
          return fail(HTTPParseError(.bareLineFeed, message: "A line ends in LF without CR; HTTP requires CRLF."))
        }
        let lineRange = lineStart..<(lineFeed - 1)
        lineStart = lineFeed + 1
        scanIndex = lineStart
        do {
          if let request = try process(line: buffer[lineRange]) {
            finishRequest(consumedUpTo: lineStart)
            return .request(request)
          }
        } catch {
          return fail(error)
        }
      }
    }
  }

  /// True before any byte of a request has been fed: the connection is idle.
  public var isAtRequestBoundary: Bool {
    phase == .requestLine && requestStart == buffer.count
  }

  /// True when the head is complete and accepted and the content is being read.
  public var isReadingBody: Bool { phase == .body }

  /// True when the client sent `Expect: 100-continue`, its head was accepted, no content
  /// has arrived yet, and no interim `100 Continue` has been sent for it (RFC 9110 §10.1.1).
  public var shouldSendContinue: Bool {
    phase == .body && expectsContinue && !continueSent && buffer.count == lineStart
  }

  /// Records that `100 Continue` was sent for the current request.
  public mutating func didSendContinue() {
    continueSent = true
  }

  /// The error for a head that outgrew the limit: 414 while still in the request line.
  private func sizeFailure() -> HTTPParseError {
    phase == .requestLine
      ? HTTPParseError(.requestLineTooLong, message: "The request line is longer than \(maxHeaderBytes) bytes.")
      : HTTPParseError(.headerTooLarge, message: "The request header is longer than \(maxHeaderBytes) bytes.")
  }

  private mutating func fail(_ error: HTTPParseError) -> HTTPParseResult {
    phase = .failed
    failure = error
    head = nil
    buffer = []
    requestStart = 0
    lineStart = 0
    scanIndex = 0
    return .error(error)
  }

  /// Forgets the request that ended at `end` and gets ready for the next.
  mutating func finishRequest(consumedUpTo end: Int) {
    phase = .requestLine
    head = nil
    bodyLength = 0
    keepAlive = true
    expectsContinue = false
    continueSent = false
    if end == buffer.count {
      // Keep a modest buffer for the next request, but not one grown by a large body.
      buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
      requestStart = 0
    } else if end >= 4096 && end * 2 >= buffer.count {
      buffer.removeSubrange(0..<end)
      requestStart = 0
    } else {
      requestStart = end
    }
    lineStart = requestStart
    scanIndex = requestStart
  }
}
