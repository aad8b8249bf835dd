import Foundation
import Glibc

/// One HTTP/1.1 request and its answer over a plain TCP connection of its own, for hubs
/// reached by `http://` (loopback, a closed office network).
///
/// Why not URLSession here: on Linux, FoundationNetworking stops the whole process with a
/// fatal error ("Transfer completed, but there's no response") when a connection closes
/// inside a response head, and a sync must survive a cut anywhere. A cut here is an error
/// that the sync's retry cures. `https://` still goes through URLSession, which brings TLS.
struct PlainHTTPExchange {
  /// Why an exchange failed; every case is one a retry may cure.
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  let url: URL
  let method: String
  let headers: [(name: String, value: String)]
  let body: Data?
  let timeout: TimeInterval
  /// The largest answer body accepted, as it comes (before any content coding is removed).
  var limit = HubClient.maxAnswerBytes

  /// The final answer: its status, its Content-Encoding (nil when none), and its content
  /// exactly as received.
  struct Answer {
    let status: Int
    let contentEncoding: String?
    let body: Data
  }

  /// Sends the request and returns the final answer, off the caller's thread. Cancelling
  /// the task cuts the connection and throws `CancellationError`.
  func run() async throws -> Answer {
    let cancellation = ExchangeCancellation()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
          continuation.resume(
            with: Result {
              do { return try exchange(cancellation) } catch where cancellation.isCancelled { throw CancellationError() }
            })
        }
      }
    } onCancel: {
      cancellation.cancel()
    }
  }

  private func exchange(_ cancellation: ExchangeCancellation) throws -> Answer {
    guard let named = url.host, !named.isEmpty else { throw Failure(description: "no host in \(url.absoluteString)") }
    // An IPv6 literal is bracketed in the Host field and bare for the resolver.
    let host = named.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
    let port = url.port ?? 80
    let descriptor = try Self.connect(host: host, port: port, timeout: timeout)
    guard cancellation.adopt(descriptor) else { throw CancellationError() }
    defer { cancellation.close() }

    var target = url.path.isEmpty ? "/" : url.path
    if let query = url.query { target += "?" + query }
    let hostField = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostField)\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "Content-Length: \(body?.count ?? 0)\r\nConnection: close\r\n\r\n"
    guard Self.sendAll(descriptor, Array(head.utf8) + (body.map(Array.init) ?? [])) else {
      throw Failure(description: "the connection was cut while sending (\(String(cString: strerror(errno))))")
    }

    var reader = HTTPAnswerReader {
      var received = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = received.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count >= 0 { return Array(received[0..<count]) }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "timed out") }
        if errno != EINTR { throw Failure(description: "the connection was cut (\(String(cString: strerror(errno))))") }
      }
    }
    do {
      let answer = try reader.finalAnswer(limit: limit)
      return Answer(status: answer.status, contentEncoding: answer.contentEncoding, body: Data(answer.body))
    } catch let failure as HTTPAnswerReader.Failure {
      throw Failure(description: failure.description)
    }
  }

  /// A connected socket to the first address of `host` that answers, with send and
  /// receive timeouts set (on Linux the send timeout also bounds `connect`).
  private static func connect(host: String, port: Int, timeout: TimeInterval) throws -> Int32 {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var found: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &found)
    guard status == 0, let first = found else {
      throw Failure(description: "unknown host \(host) (\(String(cString: gai_strerror(status))))")
    }
    defer { freeaddrinfo(first) }
    var lastError = ECONNREFUSED
    var next: UnsafeMutablePointer<addrinfo>? = first
    while let address = next {
      next = address.pointee.ai_next
      let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
      guard descriptor >= 0 else { continue }
      var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
      setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
      if Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return descriptor }
      lastError = errno
      close(descriptor)
    }
    if lastError == ECONNREFUSED { throw Failure(description: "connection refused (is renkei-hub running?)") }
    if lastError == EAGAIN || lastError == EINPROGRESS || lastError == ETIMEDOUT { throw Failure(description: "timed out") }
    throw Failure(description: String(cString: strerror(lastError)))
  }

  private static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent < 0 && errno == EINTR { continue }
        if sent <= 0 { return false }
        offset += sent
      }
      return true
    }
  }
}
