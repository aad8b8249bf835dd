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
  /// Bytes received; those before `start` are consumed. Consuming moves `start` instead of
  /// the bytes after it, or a body of many small chunks would cost a move of the buffer per
  /// chunk; the consumed bytes are dropped once they are most of the buffer.
  private var buffer: [UInt8] = []
  private var start = 0
  private var ended = false

  /// How many received bytes are not consumed yet.
  private var available: Int { buffer.count - start }

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
        // Whitespace in a field name (`Transfer-Encoding : chunked`) is how a field is hidden
        // from one reader and shown to another (RFC 9112 §5.1): refused, not skipped.
        guard !line[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
          throw Failure(description: "the answer has a header field name with whitespace: \(line.prefix(40))")
        }
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
          transferCodings += value.split(separator: ",").map { Self.trimmed($0).lowercased() }
            .filter { !$0.isEmpty && $0 != "identity" }
        default:
          continue
        }
      }
      let body: [UInt8]
      if status == 204 || status == 304 {
        // These never have a body, whatever their fields say (RFC 9112 §6.3).
        body = []
      } else if !transferCodings.isEmpty {
        // A proxy in front of the hub (nginx compressing answers, say) sends chunked what
        // it cannot know the length of. Chunked alone is read; a length beside it is how
        // answers are split or smuggled (RFC 9112 §6.3), so that answer is refused.
        guard transferCodings == ["chunked"] else {
          let codings = transferCodings.joined(separator: ", ")
          throw Failure(description: "the answer uses transfer coding \(codings), which renkei does not read")
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

  /// Marks `count` more bytes consumed.
  private mutating func consume(_ count: Int) {
    start += count
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
      start = 0
    } else if start > 1 << 16 && start > buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
  }

  /// The next `count` unconsumed bytes, consumed.
  private mutating func take(_ count: Int) -> [UInt8] {
    // The whole buffer taken as it is, when it holds just these bytes (a body of the
    // declared length usually does): no copy of what may be a large answer.
    if start == 0 && count == buffer.count {
      defer { buffer = [] }
      return buffer
    }
    defer { consume(count) }
    return Array(buffer[start..<(start + count)])
  }

  /// The next head (the status line and header lines, without the empty line that ends it).
  private mutating func head() throws -> String {
    var searched = 0
    while true {
      // Refused by its length wherever the pieces fell: found whole but too long, or not
      // found in more bytes than the longest head and its end could take.
      if let end = Self.firstIndex(of: [13, 10, 13, 10], in: buffer, from: max(start, searched - 3)) {
        let length = end - start
        guard length <= Self.maxHeadBytes else { throw Self.headTooLong }
        defer { consume(length + 4) }
        return String(decoding: buffer[start..<end], as: UTF8.self)
      }
      searched = buffer.count
      guard available <= Self.maxHeadBytes + 3 else {
        throw Self.headTooLong
      }
      try readMore()
    }
  }

  /// Exactly `count` body bytes.
  private mutating func body(length count: Int, limit: Int) throws -> [UInt8] {
    guard count <= limit else { throw Self.tooLarge(limit) }
    while available < count { try readMore() }
    return take(count)
  }

  /// A body that runs to the end of the connection.
  private mutating func bodyToTheEnd(limit: Int) throws -> [UInt8] {
    while true {
      guard available <= limit else { throw Self.tooLarge(limit) }
      if ended { return take(available) }
      try readMore()
    }
  }

  /// A chunked body, its chunks joined: each chunk is a hexadecimal size (extensions after
  /// `;` are ignored), CRLF, the data and CRLF; a chunk of size 0 ends the body, and the
  /// trailer lines after it are read and dropped.
  private mutating func chunkedBody(limit: Int) throws -> [UInt8] {
    var body: [UInt8] = []
    while true {
      let line = try self.line()
      guard let size = Self.chunkSize(inLine: line[...]) else {
        let text = String(decoding: line.prefix(40), as: UTF8.self)
        throw Failure(description: "the answer's chunk size is not a hexadecimal number: \(text)")
      }
      guard size <= limit - body.count else { throw Self.tooLarge(limit) }
      if size == 0 { break }
      while available < size + 2 { try readMore() }
      guard buffer[start + size] == 13, buffer[start + size + 1] == 10 else {
        throw Failure(description: "a chunk of the answer does not end where its size says")
      }
      body += buffer[start..<(start + size)]
      consume(size + 2)
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
      if let end = Self.firstIndex(of: [13, 10], in: buffer, from: max(start, searched - 1)) {
        let length = end - start
        guard length <= Self.maxLineBytes else { throw Self.lineTooLong }
        defer { consume(length + 2) }
        return Array(buffer[start..<end])
      }
      searched = buffer.count
      guard available <= Self.maxLineBytes + 1 else { throw Self.lineTooLong }
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

  /// The size of a chunk-size line: the digits before any extension, which may follow
  /// spaces or tabs and a `;` (RFC 9112 §7.1.1).
  static func chunkSize(inLine line: ArraySlice<UInt8>) -> Int? {
    guard let semicolon = line.firstIndex(of: UInt8(ascii: ";")) else { return chunkSize(line) }
    var digits = line[..<semicolon]
    while let last = digits.last, last == 0x20 || last == 0x09 { digits.removeLast() }
    return chunkSize(digits)
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

  private static let headTooLong = Failure(description: "the answer's head is longer than \(maxHeadBytes) bytes")
  private static let lineTooLong = Failure(
    description: "a line of the answer's chunked framing is longer than \(maxLineBytes) bytes")

  private static func tooLarge(_ limit: Int) -> Failure {
    Failure(description: "the answer is larger than \(limit) bytes, more than any answer of the hub")
  }
}
