import Dispatch
import Foundation
import Glibc
import Synchronization

/// An HTTP/1.1 server on POSIX sockets that answers every request with a synchronous
/// handler.
///
/// Each connection is served on its own thread, up to
/// ``Configuration/maxConnections``, because the hub's handlers do blocking SQLite work:
/// a thread per connection keeps that blocking honest instead of starving a shared pool.
/// Requests on one connection are answered in order (keep-alive and pipelining).
///
/// The handler cannot throw: whatever goes wrong inside it must become a response, and
/// ``HTTPError/internalServerError`` is the one that says nothing. A response whose fields
/// cannot be sent as given is replaced by that 500, and the `log` closure told why.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 8080)) { request in
///   .text("hello")
/// }
/// try server.start()
/// // … on SIGTERM:
/// server.stop()
/// ```
public final class HTTPServer: Sendable {
  public let configuration: Configuration
  private let handler: @Sendable (HTTPRequest) -> HTTPResponse
  private let log: @Sendable (String) -> Void
  private let state = Mutex(State())
  /// Entered by the accepting thread and by every connection thread; ``stop()`` waits on it.
  private let threads = DispatchGroup()

  /// How long a closing connection keeps reading what the client still sends, so that
  /// the kernel does not reset it before the client has read the last response.
  static let linger: Duration = .seconds(1)

  /// A server that will answer with `handler` once started.
  ///
  /// - Parameters:
  ///   - log: told, in one line each, of what only an operator should see: a handler's
  ///     response that had to be replaced, or a failing accept.
  public init(
    configuration: Configuration = Configuration(),
    log: @escaping @Sendable (String) -> Void = { _ in },
    handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
  ) {
    self.configuration = configuration
    self.log = log
    self.handler = handler
  }

  /// The port the server is bound to, once started (the chosen one when configured 0).
  public var boundPort: Int? { state.withLock { $0.boundPort } }

  /// How many connections are being served right now.
  public var activeConnectionCount: Int { state.withLock { $0.activeConnections } }

  /// Binds, listens, and starts accepting on a background thread; returns once the port
  /// is bound, so ``boundPort`` is known.
  ///
  /// - Throws: ``HTTPServerError`` if the address cannot be bound, or the server was
  ///   already started (a server starts once).
  public func start() throws(HTTPServerError) {
    let (listener, stopSignal) = try state.withLock { state throws(HTTPServerError) -> (Int32, Int32) in
      guard state.lifecycle == .idle else {
        throw HTTPServerError(operation: "start", message: "the server was already started")
      }
      let (listener, port) = try HTTPServer.makeListener(
        host: configuration.host, port: configuration.port, backlog: configuration.backlog)
      var pipeEnds: [Int32] = [-1, -1]
      guard pipe(&pipeEnds) == 0 else {
        let error = HTTPServerError.system("pipe")
        _ = Glibc.close(listener)
        throw error
      }
      HTTPServer.setCloseOnExec(pipeEnds[0])
      HTTPServer.setCloseOnExec(pipeEnds[1])
      state.stopSignal = pipeEnds[0]
      state.stopTrigger = pipeEnds[1]
      state.boundPort = port
      state.lifecycle = .running
      return (listener, pipeEnds[0])
    }
    threads.enter()
    let acceptor = Thread { [self] in
      acceptConnections(listener: listener, stopSignal: stopSignal)
      threads.leave()
    }
    acceptor.name = "renkei-http-accept"
    acceptor.start()
  }

  /// Drains the server and returns when it is done: stops accepting and closes the
  /// listening socket; closes connections waiting idle between requests; lets every
  /// request already being read or handled finish (within its timeouts) and sends its
  /// response with `Connection: close`. This is what SIGTERM calls.
  ///
  /// How long it takes is bounded by the configuration: the longest handler, plus at most
  /// the header or body timeout for a request still arriving, plus ``linger`` (1 s) for a
  /// client that does not close its end after its last response.
  ///
  /// Safe to call more than once and from several threads; every call waits for the drain.
  public func stop() {
    let trigger: Int32? = state.withLock { state in
      guard state.lifecycle == .running else { return nil }
      state.lifecycle = .stopping
      return state.stopTrigger
    }
    if let trigger {
      var byte: UInt8 = 1
      _ = write(trigger, &byte, 1)
    }
    threads.wait()
    state.withLock { state in
      guard state.lifecycle == .stopping else { return }
      _ = Glibc.close(state.stopSignal)
      _ = Glibc.close(state.stopTrigger)
      state.lifecycle = .stopped
    }
  }

  private func acceptConnections(listener: Int32, stopSignal: Int32) {
    defer { _ = Glibc.close(listener) }
    while true {
      var descriptors = [
        pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
        pollfd(fd: stopSignal, events: Int16(POLLIN), revents: 0),
      ]
      if poll(&descriptors, 2, -1) < 0 {
        if errno == EINTR { continue }
        log("HTTP server: poll on the listening socket failed: \(String(cString: strerror(errno)))")
        return
      }
      if descriptors[1].revents != 0 { return }
      guard descriptors[0].revents != 0 else { continue }
      let client = accept(listener, nil, nil)
      guard client >= 0 else {
        let number = errno
        switch number {
        case EINTR, EAGAIN, EWOULDBLOCK, ECONNABORTED, EPROTO:
          continue
        default:
          // Out of descriptors or memory: say so, and back off instead of spinning.
          log("HTTP server: accept failed: \(String(cString: strerror(number)))")
          var stop = pollfd(fd: stopSignal, events: Int16(POLLIN), revents: 0)
          _ = poll(&stop, 1, 100)
          continue
        }
      }
      HTTPServer.setCloseOnExec(client)
      admit(client, stopSignal: stopSignal)
    }
  }

  /// Keeps a descriptor out of any process the host application spawns. (Glibc's
  /// `accept4` and `pipe2`, which do this atomically, are not visible to Swift.)
  static func setCloseOnExec(_ descriptor: Int32) {
    _ = fcntl(descriptor, F_SETFD, fcntl(descriptor, F_GETFD) | FD_CLOEXEC)
  }

  private func admit(_ client: Int32, stopSignal: Int32) {
    let acceptedAt = ContinuousClock.now
    let cap = max(1, configuration.maxConnections)
    let (admitted, refusedMeanwhile, reachedCap) = state.withLock { state -> (Bool, Int?, Bool) in
      guard state.activeConnections < cap else {
        let first = state.refusedAtCap == nil
        state.refusedAtCap = (state.refusedAtCap ?? 0) + 1
        return (false, nil, first)
      }
      state.activeConnections += 1
      defer { state.refusedAtCap = nil }
      return (true, state.refusedAtCap, false)
    }
    if reachedCap {
      log("warning: \(cap) connections open, the most allowed (--max-connections): new ones get 503 until some close")
    }
    if let refusedMeanwhile {
      log("connections below the cap again; \(refusedMeanwhile) refused with 503 meanwhile")
    }
    guard admitted else {
      refuseOverCapacity(client)
      return
    }
    threads.enter()
    let thread = Thread { [self] in
      HTTPConnection(
        socket: Socket(descriptor: client), configuration: configuration, handler: handler, log: log,
        stopSignal: stopSignal, acceptedAt: acceptedAt
      ).run()
      state.withLock { $0.activeConnections -= 1 }
      threads.leave()
    }
    thread.name = "renkei-http-connection"
    thread.start()
  }

  /// Answers 503 without giving the connection a thread: one non-blocking send, then
  /// close. Whatever the client already sent is read first, so the close is a FIN rather
  /// than a reset that could destroy the 503 before the client reads it.
  private func refuseOverCapacity(_ client: Int32) {
    var response = HTTPError(
      .serviceUnavailable, message: "The server is serving as many connections as it can; retry later."
    ).response
    response.headers.add(name: "Retry-After", value: "1")
    let bytes = HTTPResponseSerializer.serialize(
      response, keepAlive: false, date: configuration.sendsDate ? Date() : nil)
    _ = bytes.withUnsafeBytes {
      send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
    }
    _ = shutdown(client, Int32(SHUT_WR))
    var scratch = [UInt8](repeating: 0, count: 4096)
    for _ in 0..<16 {
      let count = scratch.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
      if count <= 0 { break }
    }
    _ = Glibc.close(client)
  }
}
