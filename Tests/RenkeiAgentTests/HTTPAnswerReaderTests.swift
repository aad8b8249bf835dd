import RenkeiTestSupport
import Testing

@testable import RenkeiAgent

/// The agent's reader of HTTP answers, fed bytes directly: random answers in every framing
/// are read exactly, and no answer, good or damaged, reads differently for being cut into
/// other pieces by the network.
@Suite struct HTTPAnswerReaderTests {
  /// What reading `bytes` gives when they arrive in pieces of the given sizes (cycled).
  static func read(_ bytes: [UInt8], pieces: [Int], limit: Int = 1 << 20) -> String {
    var offset = 0
    var turn = 0
    var reader = HTTPAnswerReader {
      let size = min(pieces[turn % pieces.count], bytes.count - offset)
      turn += 1
      defer { offset += size }
      return Array(bytes[offset..<(offset + size)])
    }
    do {
      let answer = try reader.finalAnswer(limit: limit)
      return "\(answer.status) \(answer.contentEncoding ?? "-") \(answer.body)"
    } catch {
      return "failure: \(error)"
    }
  }

  /// A random answer and the body it carries, framed by length, chunks or the end of the
  /// connection, sometimes after an interim answer.
  static func randomAnswer(using random: inout SplitMix64) -> (bytes: [UInt8], status: Int, body: [UInt8]) {
    let status = [200, 201, 400, 401, 409, 413, 500][Int(random.next() % 7)]
    let body = (0..<Int(random.next() % 300)).map { _ in [13, 10, 48, 59, 65, 255][Int(random.next() % 6)] as UInt8 }
    var head = random.next() % 4 == 0 ? "HTTP/1.1 100 Continue\r\n\r\n" : ""
    head += "HTTP/1.1 \(status) Reason\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
    var framed: [UInt8]
    switch random.next() % 3 {
    case 0:
      head += "Content-Length:\t\(body.count) \r\n\r\n"
      framed = body
    case 1:
      head += "Transfer-Encoding: chunked\r\n\r\n"
      framed = []
      var rest = body[...]
      while !rest.isEmpty {
        let size = min(rest.count, Int(random.next() % 40) + 1)
        framed += Array(String(size, radix: 16, uppercase: random.next() % 2 == 0).utf8)
        if random.next() % 3 == 0 { framed += Array(";ext=\"x\"".utf8) }
        framed += [13, 10] + rest.prefix(size) + [13, 10]
        rest = rest.dropFirst(size)
      }
      framed += Array("0\r\n".utf8) + (random.next() % 2 == 0 ? Array("Trailer-Field: 1\r\n".utf8) : []) + [13, 10]
    default:
      head += "\r\n"
      framed = body
    }
    return (Array(head.utf8) + framed, status, body)
  }

  @Test func randomAnswersAreReadExactlyInAnyPieces() {
    var random = SplitMix64(seed: 2023_0530)
    for _ in 0..<500 {
      let (bytes, status, body) = Self.randomAnswer(using: &random)
      let expected = "\(status) gzip \(body)"
      #expect(Self.read(bytes, pieces: [bytes.count]) == expected)
      #expect(Self.read(bytes, pieces: [1]) == expected)
      #expect(Self.read(bytes, pieces: [Int(random.next() % 9) + 1, Int(random.next() % 300) + 1]) == expected)
    }
  }

  @Test func damagedAnswersReadTheSameInAnyPieces() {
    var random = SplitMix64(seed: 1_951)
    var failures = 0
    for _ in 0..<2_000 {
      var (bytes, _, _) = Self.randomAnswer(using: &random)
      for _ in 0...(random.next() % 3) {
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 3 {
        case 0: bytes[at] = [13, 10, 48, 59, 32, 0, 255][Int(random.next() % 7)]
        case 1: bytes.remove(at: at)
        default: bytes.insert([13, 10, 48, 59, 32][Int(random.next() % 5)], at: at)
        }
        if bytes.isEmpty { bytes = [0] }
      }
      let whole = Self.read(bytes, pieces: [bytes.count], limit: 200)
      #expect(Self.read(bytes, pieces: [1], limit: 200) == whole, "\(String(decoding: bytes, as: UTF8.self))")
      #expect(Self.read(bytes, pieces: [3, 7], limit: 200) == whole, "\(String(decoding: bytes, as: UTF8.self))")
      if whole.hasPrefix("failure") { failures += 1 }
    }
    // The damage must reach the framing often, or the test would show little.
    #expect(failures > 200, "\(failures) of 2,000 damaged answers failed")
  }

  @Test func longLinesAreRefusedWhereverThePiecesFall() {
    let line = String(repeating: "0", count: HTTPAnswerReader.maxLineBytes + 1)
    let bytes = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(line)\r\n0\r\n\r\n".utf8)
    for pieces in [[bytes.count], [1], [4096]] {
      #expect(Self.read(bytes, pieces: pieces).contains("longer than \(HTTPAnswerReader.maxLineBytes) bytes"))
    }
    let fits = String(repeating: "0", count: HTTPAnswerReader.maxLineBytes - 1) + "5"
    let read = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(fits)\r\nhello\r\n0\r\n\r\n".utf8)
    for pieces in [[read.count], [1], [4096]] { #expect(Self.read(read, pieces: pieces) == "200 - \(Array("hello".utf8))") }
  }

  @Test(arguments: ["HTTP/1.1 200", "HTTP/1.0 404 Not Found", "HTTP/1.1 204 "])
  func statusLines(line: String) throws {
    #expect(try HTTPAnswerReader.status(in: Substring(line)) == Int(line.split(separator: " ")[1]))
  }

  @Test(arguments: [
    "HTTP/2 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 +20 OK", "HTTP/1.1  200 OK", "http/1.1 200 OK", "SSH-2.0",
  ])
  func notStatusLines(line: String) {
    #expect(throws: HTTPAnswerReader.Failure.self) { try HTTPAnswerReader.status(in: Substring(line)) }
  }

  @Test func endlessInterimAnswersAreRefused() {
    let bytes = Array(String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 40).utf8)
    #expect(Self.read(bytes, pieces: [bytes.count]).contains("interim answers"))
  }

  @Test func extensionsMayFollowSpacesButSizesMayNot() {
    func body(_ chunked: String) -> String {
      Self.read(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(chunked)".utf8), pieces: [1 << 20])
    }
    #expect(body("5 ;a=b\r\nhello\r\n0\r\n\r\n") == "200 - \(Array("hello".utf8))")
    #expect(body("5\t; a\r\nhello\r\n0 ;end\r\n\r\n") == "200 - \(Array("hello".utf8))")
    #expect(body("5 \r\nhello\r\n0\r\n\r\n").hasPrefix("failure"))
    #expect(body(" 5;a\r\nhello\r\n0\r\n\r\n").hasPrefix("failure"))
  }

  @Test func aFieldNameWithWhitespaceIsRefused() {
    // Skipped, the hidden Transfer-Encoding would leave the answer framed by its length.
    let bytes = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8)
    #expect(Self.read(bytes, pieces: [bytes.count]).contains("header field name with whitespace"))
  }

  @Test(arguments: [204, 304])
  func answersThatNeverHaveABodyAreReadWithoutOne(status: Int) {
    // Whatever the fields say, nothing after the head belongs to the answer.
    for fields in ["Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n", ""] {
      let bytes = Array("HTTP/1.1 \(status) X\r\n\(fields)\r\n".utf8)
      #expect(Self.read(bytes, pieces: [1]) == "\(status) - []", "\(fields)")
    }
  }

  @Test func manySmallChunksAreReadWhole() {
    // Ten thousand one-byte chunks: each consumed by moving a position, not the buffer.
    let chunks = String(repeating: "1\r\nx\r\n", count: 10_000) + "0\r\n\r\n"
    let bytes = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(chunks)".utf8)
    for pieces in [[bytes.count], [65_536], [7]] {
      #expect(Self.read(bytes, pieces: pieces, limit: 10_000) == "200 - \(Array(repeating: UInt8(ascii: "x"), count: 10_000))")
    }
  }
}
