import Foundation

/// One client connection, served on its own thread from accept to close.
///
/// The loop: parse what is buffered; answer each complete request in order; otherwise
/// wait for more bytes within the budget of the current ``Stage``. While idle between
/// requests it also watches the server's stop signal, so a draining server closes idle
/// connections at once but lets a request already under way finish.
struct HTTPConnection {
  let socket: Socket
  let configuration: HTTPServer.Configuration
  let handler: @Sendable (HTTPRequest) -> HTTPResponse
  let log: @Sendable (String) -> Void
  let stopSignal: Int32
  let acceptedAt: ContinuousClock.Instant

  func run() {
    defer { socket.close() }
    socket.setSendTimeout(configuration.writeTimeout)
    socket.disableNagle()
    var parser = HTTPRequestParser(
      maxHeaderBytes: configuration.maxHeaderBytes, maxBodyBytes: configuration.maxBodyBytes)
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    var isFirstRequest = true
    var stage = Stage.idle
    var stageStartedAt = acceptedAt

    while true {
      switch parser.next() {
      case .request(let request):
        guard serve(request) else { return }
        isFirstRequest = false
        stage = .idle
        stageStartedAt = .now
        continue
      case .error(let error):
        refuse(with: error.httpError)
        return
      case .needsMoreData:
        break
      }

      if parser.shouldSendContinue {
        guard socket.sendAll(HTTPResponseSerializer.continueResponse) else { return }
        parser.didSendContinue()
      }

      let observed: Stage = parser.isAtRequestBoundary ? .idle : parser.isReadingBody ? .body : .head
      if observed != stage {
        // The first request's head is timed from acceptance: a connection that sends
        // nothing, or a byte at a time, is the slowloris opening move.
        if !(isFirstRequest && stage == .idle && observed == .head) { stageStartedAt = .now }
        stage = observed
      }
      let budget =
        switch stage {
        case .idle: isFirstRequest ? configuration.headerReadTimeout : configuration.idleTimeout
        case .head: configuration.headerReadTimeout
        case .body: configuration.bodyReadTimeout
        }

      switch socket.waitForInput(until: stageStartedAt + budget, stopSignal: stage == .idle ? stopSignal : nil) {
      case .readable:
        guard let count = socket.receive(into: &readBuffer), count > 0 else { return }
        parser.feed(readBuffer[0..<count])
      case .stopRequested:
        return
      case .timedOut:
        // A persistent connection that goes quiet is simply closed (RFC 9112 §9.5);
        // a request that does not arrive in time is answered.
        if stage == .idle && !isFirstRequest { return }
        refuse(with: HTTPError(.requestTimeout, message: "The request was not received in time."))
        return
      }
    }
  }

  /// Handles `request` and sends the response.
  ///
  /// - Returns: whether the connection stays open for another request.
  private func serve(_ request: HTTPRequest) -> Bool {
    var response: HTTPResponse
    do {
      if configuration.decodesRequestContent {
        response = handler(try HTTPContentCoding.decodingContent(of: request, limit: configuration.maxBodyBytes))
      } else {
        _ = try HTTPContentCoding.isGzipCoded(request)
        var undecoded = request
        undecoded.decodedContentLimit = configuration.maxBodyBytes
        response = handler(undecoded)
      }
    } catch {
      response = HTTPContentCoding.refusal(error)
    }
    if let threshold = configuration.responseCompressionThreshold {
      response = HTTPContentCoding.encodingContent(of: response, for: request, threshold: threshold)
    }
    if !HTTPResponseSerializer.isValid(response) {
      log(
        "HTTP server: the response to \(request.method.rawValue) \(request.path) has a header field that "
          + "cannot be sent; answered 500 instead")
      response = HTTPError.internalServerError.response
    }
    let isDraining = Socket.isReadable(stopSignal)
    let keepAlive =
      request.keepAlive && !isDraining && !response.headers.containsToken("close", inField: "Connection")
    let bytes = HTTPResponseSerializer.serialize(
      response, keepAlive: keepAlive, requestVersion: request.version, isHeadRequest: request.method == .head,
      date: configuration.sendsDate ? Date() : nil)
    guard socket.sendAll(bytes) else { return false }
    if !keepAlive {
      socket.closeGracefully(linger: HTTPServer.linger)
    }
    return keepAlive
  }

  /// Sends `error` with `Connection: close` and closes: after a refused or late request
  /// the stream's framing can no longer be trusted.
  private func refuse(with error: HTTPError) {
    let bytes = HTTPResponseSerializer.serialize(
      error.response, keepAlive: false, date: configuration.sendsDate ? Date() : nil)
    guard socket.sendAll(bytes) else { return }
    socket.closeGracefully(linger: HTTPServer.linger)
  }
}
