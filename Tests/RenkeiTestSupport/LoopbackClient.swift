import Foundation
import Glibc
import RenkeiHTTP

/// A raw TCP client for the HTTP server's and the hub's tests. It sends exactly the bytes a
/// test gives, so a test can break the framing on purpose, and reads responses with a
/// deadline, so a broken server fails a test instead of hanging it.
public final class LoopbackClient {
  public let descriptor: Int32
  private var pending: [UInt8] = []
  public private(set) var sawEndOfStream = false

  public struct ConnectFailed: Error {
    public let errorNumber: Int32
  }

  /// A parsed response.
  public struct Response {
    public let status: Int
    public let headers: HTTPHeaders
    public let body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded as `type` with a plain `JSONDecoder`, as a client would.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try JSONDecoder().decode(type, from: Data(body))
    }

    /// The body's top-level JSON object, to check its keys as the wire spells them.
    public func object() throws -> [String: Any] {
      guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
        throw NotAnObject(text: text)
      }
      return object
    }

    public struct NotAnObject: Error {
      let text: String
    }
  }

  /// `connect(2)` to a `sockaddr_in` or `sockaddr_in6`.
  private static func connect<Address>(_ descriptor: Int32, to address: inout Address) -> Int32 {
    withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
    }
  }

  /// A connection to `port` on 127.0.0.1, or on `address` (an IPv4 or IPv6 address).
  public init(port: Int, address: String = "127.0.0.1") throws {
    let family = address.contains(":") ? AF_INET6 : AF_INET
    descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
    let status: Int32
    if family == AF_INET6 {
      var ipv6 = sockaddr_in6()
      ipv6.sin6_family = sa_family_t(AF_INET6)
      ipv6.sin6_port = UInt16(port).bigEndian
      _ = inet_pton(AF_INET6, address, &ipv6.sin6_addr)
      status = Self.connect(descriptor, to: &ipv6)
    } else {
      var ipv4 = sockaddr_in()
      ipv4.sin_family = sa_family_t(AF_INET)
      ipv4.sin_port = UInt16(port).bigEndian
      _ = inet_pton(AF_INET, address, &ipv4.sin_addr)
      status = Self.connect(descriptor, to: &ipv4)
    }
    guard status == 0 else {
      let number = errno
      close(descriptor)
      throw ConnectFailed(errorNumber: number)
    }
  }

  deinit { close(descriptor) }

  @discardableResult
  public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

  @discardableResult
  public func send(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent <= 0 { return false }
        offset += sent
      }
      return true
    }
  }

  /// Ends the sending direction (a FIN), as a client that dies mid-request does, while
  /// still letting the test read whatever the server answers or see it close.
  public func finishSending() {
    _ = shutdown(descriptor, Int32(SHUT_WR))
  }

  /// The next response (interim 1xx ones included), or nil if the connection ended or
  /// `timeout` passed first.
  /// `hasBody: false` reads a response to HEAD, whose Content-Length announces no bytes.
  public func readResponse(timeout: Duration = .seconds(10), hasBody: Bool = true) -> Response? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let response = takeResponse(hasBody: hasBody) { return response }
      guard !sawEndOfStream, fill(until: deadline) else { return nil }
    }
  }

  /// Whether the server closed the connection within `timeout`; bytes that arrive first
  /// are kept for ``readResponse(timeout:hasBody:)``.
  public func waitForClose(timeout: Duration = .seconds(10)) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !sawEndOfStream {
      guard fill(until: deadline) else { return sawEndOfStream }
    }
    return true
  }

  /// Bytes received but not yet taken as a response.
  public var unreadByteCount: Int { pending.count }

  /// Reads once; false on timeout. End of stream and reset both count as the end.
  private func fill(until deadline: ContinuousClock.Instant) -> Bool {
    let remaining = deadline - .now
    guard remaining > .zero else { return false }
    let (seconds, attoseconds) = remaining.components
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let ready = poll(&entry, 1, Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1))
    guard ready > 0 else { return ready < 0 && errno == EINTR }
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    if count <= 0 {
      sawEndOfStream = true
    } else {
      pending.append(contentsOf: chunk[0..<count])
    }
    return true
  }

  private func takeResponse(hasBody: Bool) -> Response? {
    let terminator = Array("\r\n\r\n".utf8)
    guard let headEnd = pending.indices.first(where: { pending[$0...].starts(with: terminator) }) else { return nil }
    let lines = String(decoding: pending[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ", maxSplits: 2)
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
    var headers = HTTPHeaders()
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers.add(
        name: String(line[..<colon]),
        value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    let length = hasBody ? Int(headers["Content-Length"] ?? "0") ?? 0 : 0
    let bodyStart = headEnd + terminator.count
    guard pending.count - bodyStart >= length else { return nil }
    let body = Array(pending[bodyStart..<(bodyStart + length)])
    pending.removeFirst(bodyStart + length)
    return Response(status: status, headers: headers, body: body)
  }
}
