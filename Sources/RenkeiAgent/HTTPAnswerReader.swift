/// Reads the final answer to one HTTP/1.1 request from bytes as they arrive: interim 1xx
/// answers are skipped, and the body is framed by `Content-Length`, by chunks (RFC 9112
/// §7.1) or by the end of the connection. Strict, and bounded everywhere, because the bytes
/// come from the network: a broken or hostile peer gets a ``Failure``, never the agent's
/// memory.
///
/// Pure (the standard library only): ``PlainHTTPExchange`` hands it what the socket
/// receives, tests and the fuzz target (Tests/long/fuzz) hand it bytes in any pieces, and
/// how the bytes are cut into pieces never changes the answer.
struct HTTPAnswerReader {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The final answer: its status, its Content-Encoding (nil when none), and its content
  /// exactly as received, with any chunked framing removed.
  struct Answer: Equatable {
    let status: Int
    let contentEncoding: String?
    let body: [UInt8]
  }

  /// The longest head accepted: real heads are a few hundred bytes.
  static let maxHeadBytes = 64 << 10
  /// The longest chunk-size line (with any extensions) or trailer line accepted.
  static let maxLineBytes = 4 << 10
  /// The most interim answers accepted before the final one.
  static let maxInterimAnswers = 16

  /// The next bytes from the peer; an empty array when the peer has closed its side.
  private let receive: () throws -> [UInt8]
  /// Bytes received and not yet consumed.
  private var buffer: [UInt8] = []
  private var ended = false

  init(receive: @escaping () throws -> [UInt8]) {
    self.receive = receive
  }

  /// Reads up to the end of the final answer; `limit` bounds its body as it comes.
  mutating func finalAnswer(limit: Int) throws -> Answer {
    for _ in 0...Self.maxInterimAnswers {
      let lines = try head().split(separator: "\r\n", omittingEmptySubsequences: false)
      let status = try Self.status(in: lines[0])
      if (100..<200).contains(status) { continue }
      var length: Int?
      var contentEncoding: String?
      var transferCodings: [String] = []
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].lowercased()
        let value = Self.trimmed(line[line.index(after: colon)...])
        switch name {
        case "content-length":
          // A length that is not a plain decimal number, or two different lengths, is a
          // broken or hostile answer.
          guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let declared = Int(value),
            length == nil || length == declared
          else {
            throw Failure(description: "the answer's Content-Length is not one length: \(value.prefix(40))")
          }
          length = declared
        case "content-encoding":
          contentEncoding = contentEncoding.map { "\($0), \(value)" } ?? value
        case "transfer-encoding":
          transferCodings += value.split(separator: ",").map { Self.trimmed($0).lowercased() }.filter { !$0.isEmpty && $0 != "identity" }
        default:
          continue
        }
      }
      let body: [UInt8]
      if !transferCodings.isEmpty {
        // A proxy in front of the hub (nginx compressing answers, say) sends chunked what
        // it cannot know the length of. Chunked alone is read; a length beside it is how
        // answers are split or smuggled (RFC 9112 §6.3), so that answer is refused.
        guard transferCodings == ["chunked"] else {
          throw Failure(description: "the answer uses transfer coding \(transferCodings.joined(separator: ", ")), which renkei does not read")
        }
        guard length == nil else { throw Failure(description: "the answer has both a Content-Length and a chunked body") }
        body = try chunkedBody(limit: limit)
      } else if let length {
        body = try self.body(length: length, limit: limit)
      } else {
        // No length: the body runs to the end of the connection (renkei asks Connection: close).
        body = try bodyToTheEnd(limit: limit)
      }
      return Answer(status: status, contentEncoding: contentEncoding, body: body)
    }
    throw Failure(description: "the answer has more than \(Self.maxInterimAnswers) interim answers before its final one")
  }

  // MARK: Framing

  private mutating func readMore() throws {
    if ended { throw Failure(description: "the connection was cut before the hub's answer was complete") }
    let received = try receive()
    if received.isEmpty { ended = true } else { buffer += received }
  }

  /// The next head (the status line and header lines, without the empty line that ends it).
  private mutating func head() throws -> String {
    var searched = 0
    while true {
      // Refused by its length wherever the pieces fell: found whole but too long, or not
      // found in more bytes than the longest head and its end could take.
      if let end = Self.firstIndex(of: [13, 10, 13, 10], in: buffer, from: max(0, searched - 3)) {
        guard end <= Self.maxHeadBytes else { throw Failure(description: "the answer's head is longer than \(Self.maxHeadBytes) bytes") }
        defer { buffer.removeFirst(end + 4) }
        return String(decoding: buffer[..<end], as: UTF8.self)
      }
      searched = buffer.count
      guard buffer.count <= Self.maxHeadBytes + 3 else {
        throw Failure(description: "the answer's head is longer than \(Self.maxHeadBytes) bytes")
      }
      try readMore()
    }
  }

  /// Exactly `count` body bytes.
  private mutating func body(length count: Int, limit: Int) throws -> [UInt8] {
    guard count <= limit else { throw Self.tooLarge(limit) }
    while buffer.count < count { try readMore() }
    defer { buffer.removeFirst(count) }
    return Array(buffer[..<count])
  }

  /// A body that runs to the end of the connection.
  private mutating func bodyToTheEnd(limit: Int) throws -> [UInt8] {
    while true {
      guard buffer.count <= limit else { throw Self.tooLarge(limit) }
      if ended { break }
      let received = try receive()
      if received.isEmpty { ended = true } else { buffer += received }
    }
    defer { buffer.removeAll() }
    return buffer
  }

  /// A chunked body, its chunks joined: each chunk is a hexadecimal size (extensions after
  /// `;` are ignored), CRLF, the data and CRLF; a chunk of size 0 ends the body, and the
  /// trailer lines after it are read and dropped.
  private mutating func chunkedBody(limit: Int) throws -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let line = try self.line()
      guard let size = Self.chunkSize(line.prefix { $0 != UInt8(ascii: ";") }) else {
        throw Failure(description: "the answer's chunk size is not a hexadecimal number: \(String(decoding: line.prefix(40), as: UTF8.self))")
      }
      guard size <= limit - body.count else { throw Self.tooLarge(limit) }
      if size == 0 { break }
      while buffer.count < size + 2 { try readMore() }
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
        guard end <= Self.maxLineBytes else {
          throw Failure(description: "a line of the answer's chunked framing is longer than \(Self.maxLineBytes) bytes")
        }
        defer { buffer.removeFirst(end + 2) }
        return Array(buffer[..<end])
      }
      searched = buffer.count
      guard buffer.count <= Self.maxLineBytes + 1 else {
        throw Failure(description: "a line of the answer's chunked framing is longer than \(Self.maxLineBytes) bytes")
      }
      try readMore()
    }
  }

  // MARK: Syntax

  /// The status code of a status line: `HTTP/1.x`, a space, three digits, then a space
  /// and a reason (which may be empty) or nothing.
  static func status(in line: Substring) throws -> Int {
    let bytes = Array(line.utf8)
    let prefix = Array("HTTP/1.".utf8)
    guard bytes.count >= 12, bytes.starts(with: prefix), (0x30...0x39).contains(bytes[7]), bytes[8] == 0x20,
      bytes[9...11].allSatisfy({ (0x30...0x39).contains($0) }), bytes.count == 12 || bytes[12] == 0x20
    else {
      throw Failure(description: "the answer is not HTTP: \(String(decoding: bytes.prefix(80), as: UTF8.self))")
    }
    return bytes[9...11].reduce(0) { $0 * 10 + Int($1 - 0x30) }
  }

  /// One or more hexadecimal digits, nothing else (no sign, no spaces, no 0x). More than
  /// fifteen digits after any leading zeros is more than any limit: read as `Int.max`
  /// instead of overflowing.
  static func chunkSize(_ text: ArraySlice<UInt8>) -> Int? {
    guard !text.isEmpty, text.allSatisfy({ hexDigitValue($0) != nil }) else { return nil }
    let significant = text.drop { $0 == UInt8(ascii: "0") }
    guard significant.count <= 15 else { return Int.max }
    return significant.reduce(0) { $0 << 4 | hexDigitValue($1)! }
  }

  private static func hexDigitValue(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// A field value without the spaces and tabs around it.
  private static func trimmed(_ text: Substring) -> String {
    let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
    return String(text[first...last])
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
