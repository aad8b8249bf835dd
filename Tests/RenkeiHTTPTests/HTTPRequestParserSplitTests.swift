import Testing

@testable import RenkeiHTTP

/// The parser must not care how bytes arrive: one piece, one byte at a time, or any
/// two-way split give the same requests and the same error.
@Suite struct HTTPRequestParserSplitTests {
  /// Inputs covering every phase and most refusals, with the limits they run under.
  struct Sample: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    var maxHeaderBytes = 256
    var maxBodyBytes = 64
    var testDescription: String { name }
  }

  static let samples: [Sample] = [
    Sample(name: "get", text: "GET /a?b=%20c HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n"),
    Sample(name: "post with body", text: "POST /push HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"),
    Sample(
      name: "three pipelined",
      text: "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        + "GET /3 HTTP/1.0\r\n\r\n"),
    Sample(name: "leading empty lines", text: "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"),
    Sample(name: "partial second request", text: "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHo"),
    Sample(name: "bare LF", text: "GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n"),
    Sample(name: "bare CR", text: "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"),
    Sample(name: "obs-fold", text: "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n"),
    Sample(name: "space before colon", text: "GET / HTTP/1.1\r\nHost : h\r\n\r\n"),
    Sample(name: "missing host", text: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
    Sample(name: "unknown method", text: "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n"),
    Sample(name: "HTTP/2.0", text: "GET / HTTP/2.0\r\nHost: h\r\n\r\n"),
    Sample(
      name: "CL and TE", text: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\nx"),
    Sample(name: "conflicting CL", text: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\nxy"),
    Sample(
      name: "body too large",
      text: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n" + String(repeating: "x", count: 65)),
    Sample(
      name: "head too large",
      text: "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "X-Pad: 0123456789\r\n", count: 14) + "\r\n"),
    Sample(name: "line too long", text: "GET /" + String(repeating: "a", count: 300) + " HTTP/1.1\r\nHost: h\r\n\r\n"),
    Sample(name: "request then error", text: "GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
  ]

  @Test(arguments: samples)
  func byteByByteMatchesOnePiece(sample: Sample) {
    let bytes = Array(sample.text.utf8)
    let whole = ParserHarness.outcome(
      of: [bytes], maxHeaderBytes: sample.maxHeaderBytes, maxBodyBytes: sample.maxBodyBytes)
    let single = ParserHarness.outcome(
      of: bytes.map { [$0] }, maxHeaderBytes: sample.maxHeaderBytes, maxBodyBytes: sample.maxBodyBytes)
    #expect(single == whole)
  }

  @Test(arguments: samples)
  func everyTwoWaySplitMatchesOnePiece(sample: Sample) {
    let bytes = Array(sample.text.utf8)
    let whole = ParserHarness.outcome(
      of: [bytes], maxHeaderBytes: sample.maxHeaderBytes, maxBodyBytes: sample.maxBodyBytes)
    for offset in 0...bytes.count {
      let split = ParserHarness.outcome(
        of: [Array(bytes[..<offset]), Array(bytes[offset...])], maxHeaderBytes: sample.maxHeaderBytes,
        maxBodyBytes: sample.maxBodyBytes)
      #expect(split == whole, "split at \(offset)")
    }
  }

  @Test func samplesHaveTheOutcomesTheyAreNamedFor() {
    func outcome(_ name: String) -> [HTTPParseResult] {
      let sample = Self.samples.first { $0.name == name }!
      return ParserHarness.outcome(
        of: [Array(sample.text.utf8)], maxHeaderBytes: sample.maxHeaderBytes, maxBodyBytes: sample.maxBodyBytes)
    }
    #expect(outcome("three pipelined").compactMap(\.request).map(\.path) == ["/1", "/2", "/3"])
    #expect(outcome("three pipelined").last == .needsMoreData)
    #expect(outcome("partial second request").compactMap(\.request).count == 1)
    #expect(outcome("partial second request").last == .needsMoreData)
    #expect(outcome("bare LF").last?.error?.kind == .bareLineFeed)
    #expect(outcome("bare CR").last?.error?.kind == .bareCarriageReturn)
    #expect(outcome("obs-fold").last?.error?.kind == .obsoleteLineFolding)
    #expect(outcome("space before colon").last?.error?.kind == .whitespaceBeforeColon)
    #expect(outcome("missing host").last?.error?.kind == .missingHost)
    #expect(outcome("unknown method").last?.error?.status == .notImplemented)
    #expect(outcome("HTTP/2.0").last?.error?.status == .httpVersionNotSupported)
    #expect(outcome("CL and TE").last?.error?.kind == .contentLengthWithTransferEncoding)
    #expect(outcome("conflicting CL").last?.error?.kind == .conflictingContentLength)
    #expect(outcome("body too large").last?.error?.status == .contentTooLarge)
    #expect(outcome("head too large").last?.error?.status == .requestHeaderFieldsTooLarge)
    #expect(outcome("line too long").last?.error?.status == .uriTooLong)
    #expect(outcome("request then error").first?.request != nil)
    #expect(outcome("request then error").last?.error?.kind == .missingHost)
  }

  @Test func pipelinedRequestsComeOutOneAfterAnother() throws {
    var parser = HTTPRequestParser()
    parser.feed(
      Array(
        ("GET /first HTTP/1.1\r\nHost: h\r\n\r\n" + "POST /second HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"
          + "DELETE /third HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").utf8))
    let first = try #require(parser.next().request)
    let second = try #require(parser.next().request)
    let third = try #require(parser.next().request)
    #expect(first.path == "/first" && first.method == .get)
    #expect(second.path == "/second" && second.body == Array("hi".utf8))
    #expect(third.method == .delete && !third.keepAlive)
    #expect(parser.next() == .needsMoreData)
    #expect(parser.isAtRequestBoundary)
  }

  @Test func aLongPipelinedStreamKeepsTheBufferSmall() {
    var parser = HTTPRequestParser()
    let one =
      Array("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n".utf8) + [UInt8](repeating: 1, count: 100)
    let stream = Array(repeatElement(one, count: 1000).joined())
    var served = 0
    var largestBuffer = 0
    var offset = 0
    while offset < stream.count {
      let end = min(offset + 333, stream.count)
      parser.feed(stream[offset..<end])
      offset = end
      while let request = parser.next().request {
        #expect(request.body.count == 100)
        served += 1
      }
      largestBuffer = max(largestBuffer, parser.buffer.count)
    }
    #expect(served == 1000)
    #expect(largestBuffer < 8192 + 333)
  }
}
