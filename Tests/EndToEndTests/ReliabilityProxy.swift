import Foundation
import RenkeiCompression
import Glibc
import Synchronization

/// A loopback TCP proxy between agents and the hub, written on POSIX sockets with a thread
/// per connection and direction, that can break what passes through it:
///
/// - **cut**: after exactly N bytes in one direction (counted over all connections since
///   ``arm(_:)``), the connection is shut down both ways, mid-request or mid-response;
/// - **duplicate**: every `POST /v1/push` that has passed whole is delivered to the hub a
///   second time on a connection of its own, while the original's answer is on its way;
/// - **capture**: every push request, byte for byte, for replaying later.
///
/// It also notes where each request starts in both directions' byte counts, so a test can
/// aim a cut at one exchange (say, the answer to a push the hub has already committed).
final class ReliabilityProxy: Sendable {
  enum Direction: Int, Sendable, CustomStringConvertible {
    case request = 0
    case response = 1
    var description: String { self == .request ? "agent→hub" : "hub→agent" }
  }

  /// A cut: after `after` bytes in `direction`, counted from ``arm(_:)``.
  struct Cut: Sendable, CustomStringConvertible {
    var direction: Direction
    var after: Int
    var description: String { "\(direction) after \(after) bytes" }
  }

  /// One request that went through: its request line, where it began in each direction's
  /// count (its answer begins at `responseOffset`: agents wait for one answer before the
  /// next request), and its size.
  struct Exchange: Sendable {
    var line: String
    var requestOffset: Int
    var responseOffset: Int
    var requestSize: Int
  }

  private struct State: Sendable {
    var upstreamPort: Int
    var cut: Cut?
    var fired = 0
    var counted = [0, 0]
    var exchanges: [Exchange] = []
    var duplicatePushes = false
    var duplicatesDelivered = 0
    var captured: [[UInt8]] = []
    var sockets: Set<Int32> = []
    var stopping = false
  }

  let port: Int
  private let listener: Int32
  private let state: Mutex<State>
  private let threads = DispatchGroup()

  init(upstreamPort: Int) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw EndToEndFailure("proxy: socket: \(String(cString: strerror(errno)))") }
    var address = Self.loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      close(descriptor)
      throw EndToEndFailure("proxy: bind/listen: \(String(cString: strerror(errno)))")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    listener = descriptor
    port = Int(UInt16(bigEndian: address.sin_port))
    state = Mutex(State(upstreamPort: upstreamPort))
    threads.enter()
    Thread { [self] in
      acceptConnections()
      threads.leave()
    }.start()
  }

  deinit { stop() }

  var url: String { "http://127.0.0.1:\(port)" }

  /// Starts counting bytes afresh and sets the cut to make (none with nil).
  func arm(_ cut: Cut?) {
    state.withLock {
      $0.cut = cut
      $0.counted = [0, 0]
      $0.exchanges = []
    }
  }

  /// How many cuts were made since the proxy started.
  var cutsMade: Int { state.withLock { $0.fired } }
  /// Whether the armed cut is still waiting for its byte.
  var cutPending: Bool { state.withLock { $0.cut != nil } }
  /// Bytes passed in each direction since ``arm(_:)``.
  var counted: (request: Int, response: Int) { state.withLock { ($0.counted[0], $0.counted[1]) } }
  var exchanges: [Exchange] { state.withLock { $0.exchanges } }
  var duplicatesDelivered: Int { state.withLock { $0.duplicatesDelivered } }

  func duplicatePushes(_ on: Bool) { state.withLock { $0.duplicatePushes = on } }

  /// The push requests seen so far, whole, oldest first; forgets them.
  func takeCapturedPushes() -> [[UInt8]] {
    state.withLock { state in
      defer { state.captured = [] }
      return state.captured
    }
  }

  /// Stops accepting, shuts every connection and waits for the threads.
  func stop() {
    let (first, sockets) = state.withLock { state in
      defer { state.stopping = true }
      return (!state.stopping, state.sockets)
    }
    guard first else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    for descriptor in sockets { shutdown(descriptor, Int32(SHUT_RDWR)) }
    threads.wait()
    close(listener)
  }

  // MARK: Connections

  /// The two sockets of one proxied connection; closed when both pumps are done.
  private final class Pair: Sendable {
    let client: Int32
    let upstream: Int32
    private let open = Mutex(2)

    init(client: Int32, upstream: Int32) {
      self.client = client
      self.upstream = upstream
    }

    func cut() {
      shutdown(client, Int32(SHUT_RDWR))
      shutdown(upstream, Int32(SHUT_RDWR))
    }

    /// Called by each pump as it ends; the last one closes both sockets.
    func finished() -> Bool {
      open.withLock {
        $0 -= 1
        return $0 == 0
      }
    }
  }

  private func acceptConnections() {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        return
      }
      let upstreamPort = state.withLock { $0.upstreamPort }
      guard let upstream = try? Self.connectLoopback(port: upstreamPort) else {
        close(client)
        continue
      }
      let registered = state.withLock {
        guard !$0.stopping else { return false }
        $0.sockets.insert(client)
        $0.sockets.insert(upstream)
        return true
      }
      guard registered else {
        close(client)
        close(upstream)
        return
      }
      let pair = Pair(client: client, upstream: upstream)
      threads.enter()
      threads.enter()
      Thread { [self] in
        pumpRequests(pair)
        end(pair)
      }.start()
      Thread { [self] in
        pumpResponses(pair)
        end(pair)
      }.start()
    }
  }

  private func end(_ pair: Pair) {
    if pair.finished() {
      state.withLock {
        $0.sockets.remove(pair.client)
        $0.sockets.remove(pair.upstream)
      }
      close(pair.client)
      close(pair.upstream)
    }
    threads.leave()
  }

  /// Agent → hub: forwards bytes as they come (so `Expect: 100-continue` works), while
  /// following the HTTP framing to note each request and capture pushes whole.
  private func pumpRequests(_ pair: Pair) {
    var chunk = [UInt8](repeating: 0, count: 65536)
    var head: [UInt8] = []
    var request: [UInt8] = []
    var bodyLeft = -1  // -1 while reading a head
    var start = 0
    while true {
      let count = recv(pair.client, &chunk, chunk.count, 0)
      if count <= 0 {
        shutdown(pair.upstream, Int32(SHUT_WR))
        return
      }
      let base = state.withLock { $0.counted[Direction.request.rawValue] }
      var index = 0
      var segment = 0
      while index < count {
        if bodyLeft < 0 {
          if head.isEmpty { start = base + index }
          head.append(chunk[index])
          index += 1
          if head.count >= 4, head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            bodyLeft = Self.contentLength(of: head)
            let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
            let size = head.count + bodyLeft
            state.withLock {
              $0.exchanges.append(
                Exchange(line: line, requestOffset: start, responseOffset: $0.counted[Direction.response.rawValue], requestSize: size))
            }
            request = head
            head = []
          }
        } else {
          let take = min(bodyLeft, count - index)
          request += chunk[index..<(index + take)]
          bodyLeft -= take
          index += take
        }
        if bodyLeft == 0 {
          // A whole request has come: forward up to its end, then capture or repeat it.
          bodyLeft = -1
          guard forward(chunk[segment..<index], .request, pair) else { return }
          segment = index
          if request.starts(with: Array("POST /v1/push ".utf8)) { pushed(request) }
          request = []
        }
      }
      guard forward(chunk[segment..<count], .request, pair) else { return }
    }
  }

  /// A push has gone to the hub whole: keep it, and deliver it once more when asked.
  private func pushed(_ request: [UInt8]) {
    let (duplicate, port) = state.withLock {
      $0.captured.append(request)
      return ($0.duplicatePushes, $0.upstreamPort)
    }
    guard duplicate else { return }
    if (try? RawHTTP.exchange(port: port, request)) != nil {
      state.withLock { $0.duplicatesDelivered += 1 }
    }
  }

  /// Hub → agent: forwards bytes as they come.
  private func pumpResponses(_ pair: Pair) {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = recv(pair.upstream, &chunk, chunk.count, 0)
      if count <= 0 {
        shutdown(pair.client, Int32(SHUT_WR))
        return
      }
      guard forward(chunk[0..<count], .response, pair) else { return }
    }
  }

  /// Sends `bytes` on in `direction`, unless the armed cut falls inside them: then only the
  /// bytes before it go, the connection is shut both ways, and this returns false.
  private func forward(_ bytes: ArraySlice<UInt8>, _ direction: Direction, _ pair: Pair) -> Bool {
    guard !bytes.isEmpty else { return true }
    let allowed = state.withLock { state -> Int in
      let before = state.counted[direction.rawValue]
      var allowed = bytes.count
      if let cut = state.cut, cut.direction == direction, before + bytes.count > cut.after {
        allowed = max(0, cut.after - before)
        state.cut = nil
        state.fired += 1
      }
      state.counted[direction.rawValue] += allowed
      return allowed
    }
    let target = direction == .request ? pair.upstream : pair.client
    if !Self.sendAll(target, bytes.prefix(allowed)) {
      pair.cut()
      return false
    }
    if allowed < bytes.count {
      pair.cut()
      return false
    }
    return true
  }

  // MARK: Sockets

  static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
  }

  static func connectLoopback(port: Int, timeoutSeconds: Int = 60) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw EndToEndFailure("socket: \(String(cString: strerror(errno)))") }
    var address = loopback(port: port)
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard status == 0 else {
      let number = errno
      close(descriptor)
      throw EndToEndFailure("connect to port \(port): \(String(cString: strerror(number)))")
    }
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return descriptor
  }

  static func sendAll(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent <= 0 { return false }
        offset += sent
      }
      return true
    }
  }

  /// The Content-Length of a request or response head (0 when absent).
  static func contentLength(of head: [UInt8]) -> Int {
    for line in String(decoding: head, as: UTF8.self).split(separator: "\r\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      if parts.count == 2, parts[0].lowercased() == "content-length" {
        return Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
      }
    }
    return 0
  }
}

/// Raw HTTP/1.1 over a loopback socket, as `HubTestClient` speaks it: exactly the bytes
/// given, so a test can replay a captured push byte for byte, or fetch pull pages itself.
enum RawHTTP {
  struct Response {
    var status: Int
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
  }

  /// Sends one request on a new connection and reads its answer (skipping any 1xx).
  static func exchange(port: Int, _ request: [UInt8]) throws -> Response {
    let descriptor = try ReliabilityProxy.connectLoopback(port: port)
    defer { close(descriptor) }
    guard ReliabilityProxy.sendAll(descriptor, request[...]) else { throw EndToEndFailure("send to port \(port) failed") }
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    func fill() throws {
      let count = recv(descriptor, &chunk, chunk.count, 0)
      guard count > 0 else { throw EndToEndFailure("the hub closed the connection before answering") }
      buffer += chunk[0..<count]
    }
    while true {
      var end: Int?
      while end == nil {
        if let found = buffer.indices.dropLast(3).first(where: { buffer[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) }) {
          end = found + 4
        } else {
          try fill()
        }
      }
      let head = Array(buffer[..<end!])
      let status = Int(String(decoding: head, as: UTF8.self).split(separator: " ").dropFirst().first ?? "") ?? 0
      buffer.removeFirst(end!)
      if (100..<200).contains(status) { continue }
      let length = ReliabilityProxy.contentLength(of: head)
      while buffer.count < length { try fill() }
      // A replayed push carries the agent's Accept-Encoding, so its answer may be coded.
      let isGzip = String(decoding: head, as: UTF8.self).lowercased().contains("\r\ncontent-encoding: gzip\r\n")
      let body = Array(buffer.prefix(length))
      return Response(status: status, body: isGzip ? try Gzip.decompress(body, limit: 1 << 30) : body)
    }
  }

  /// A request with a bearer token and, when given, a JSON body.
  static func request(_ method: String, _ target: String, token: String, body: [UInt8]? = nil) -> [UInt8] {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n"
    if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
    return Array((head + "\r\n").utf8) + (body ?? [])
  }
}
