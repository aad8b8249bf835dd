import Glibc

/// The bytes of an HTTP answer as they arrive on a connected socket, read on demand into
/// one buffer, with the framing ``PlainHTTPExchange`` needs: the head, a body of a declared
/// length, a chunked body (RFC 9112 §7.1), or a body that runs to the end of the
/// connection. Every read is bounded, so a broken or hostile peer gets an error, never
/// the agent's memory.
struct AnswerStream {
  typealias Failure = PlainHTTPExchange.Failure

  /// The longest head accepted: real heads are a few hundred bytes.
  static let maxHeadBytes = 64 << 10
  /// The longest chunk-size line (with any extensions) or trailer line accepted.
  static let maxLineBytes = 4 << 10

  private let descriptor: Int32
  /// Bytes received and not yet consumed.
  private var buffer: [UInt8] = []
  /// Set when the peer has closed its side of the connection.
  private var ended = false

  init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  /// Reads once from the socket; a timeout or a cut connection is an error.
  private mutating func readMore() throws {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
    if count > 0 {
      buffer += chunk[0..<count]
    } else if count == 0 {
      ended = true
    } else if errno == EAGAIN || errno == EWOULDBLOCK {
      throw Failure(description: "timed out")
    } else if errno != EINTR {
      throw Failure(description: "the connection was cut (\(String(cString: strerror(errno))))")
    }
  }

  private mutating func readMoreBeforeTheEnd() throws {
    if ended { throw Failure(description: "the connection was cut before the hub's answer was complete") }
    try readMore()
  }

  /// The next head (the status line and header lines, without the empty line that ends it).
  mutating func head() throws -> String {
    var searched = 0
    while true {
      if let end = Self.firstIndex(of: [13, 10, 13, 10], in: buffer, from: max(0, searched - 3)) {
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        return head
      }
      searched = buffer.count
      guard buffer.count <= Self.maxHeadBytes else {
        throw Failure(description: "the answer's head is longer than \(Self.maxHeadBytes) bytes")
      }
      try readMoreBeforeTheEnd()
    }
  }

  /// Exactly `count` body bytes.
  mutating func body(length count: Int, limit: Int) throws -> [UInt8] {
    guard count <= limit else { throw Self.tooLarge(limit) }
    while buffer.count < count { try readMoreBeforeTheEnd() }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  /// A body that runs to the end of the connection.
  mutating func bodyToTheEnd(limit: Int) throws -> [UInt8] {
    while true {
      guard buffer.count <= limit else { throw Self.tooLarge(limit) }
      if ended { break }
      try readMore()
    }
    defer { buffer.removeAll() }
    return buffer
  }

  /// A chunked body, its chunks joined: each chunk is a hexadecimal size (extensions after
  /// `;` are ignored), CRLF, the data and CRLF; a chunk of size 0 ends the body, and the
  /// trailer lines after it are read and dropped.
  mutating func chunkedBody(limit: Int) throws -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let line = try self.line()
      let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
      guard let size = Self.chunkSize(sizeText) else {
        throw Failure(description: "the answer's chunk size is not a hexadecimal number: \(String(decoding: line.prefix(40), as: UTF8.self))")
      }
      guard size <= limit - body.count else { throw Self.tooLarge(limit) }
      if size == 0 { break }
      while buffer.count < size + 2 { try readMoreBeforeTheEnd() }
      guard buffer[size] == 13, buffer[size + 1] == 10 else {
        throw Failure(description: "a chunk of the answer does not end where its size says")
      }
      body += buffer[..<size]
      buffer.removeFirst(size + 2)
    }
    // Trailer fields, up to the empty line; they carry nothing renkei reads.
    var trailerBytes = 0
    while true {
      let trailer = try line()
      if trailer.isEmpty { return body }
      trailerBytes += trailer.count
      guard trailerBytes <= Self.maxHeadBytes else {
        throw Failure(description: "the answer's trailer is longer than \(Self.maxHeadBytes) bytes")
      }
    }
  }

  /// The next line, without its CRLF. A bare LF is not a line end here.
  private mutating func line() throws -> [UInt8] {
    var searched = 0
    while true {
      if let end = Self.firstIndex(of: [13, 10], in: buffer, from: max(0, searched - 1)) {
        defer { buffer.removeFirst(end + 2) }
        return Array(buffer[..<end])
      }
      searched = buffer.count
      guard buffer.count <= Self.maxLineBytes else {
        throw Failure(description: "a line of the answer's chunked framing is longer than \(Self.maxLineBytes) bytes")
      }
      try readMoreBeforeTheEnd()
    }
  }

  /// One or more hexadecimal digits, nothing else (no sign, no spaces, no 0x), of a value
  /// that fits an Int.
  static func chunkSize(_ text: ArraySlice<UInt8>) -> Int? {
    guard !text.isEmpty, text.count <= 15 else {
      // Fifteen hex digits already exceed any limit; more could only overflow.
      return text.count > 15 && text.allSatisfy(\.isHexDigit) ? Int.max : nil
    }
    var value = 0
    for byte in text {
      guard let digit = byte.hexDigitValue else { return nil }
      value = value << 4 | digit
    }
    return value
  }

  private static func firstIndex(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
    return (start...(bytes.count - pattern.count)).first { index in
      pattern.indices.allSatisfy { bytes[index + $0] == pattern[$0] }
    }
  }

  private static func tooLarge(_ limit: Int) -> Failure {
    Failure(description: "the answer is larger than \(limit) bytes, more than any answer of the hub")
  }
}

extension UInt8 {
  fileprivate var hexDigitValue: Int? {
    switch self {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(self - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(self - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(self - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  fileprivate var isHexDigit: Bool { hexDigitValue != nil }
}
