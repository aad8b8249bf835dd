import Foundation
import Testing

@testable import RenkeiHTTP

@Suite struct HTTPRequestParserTests {
  // MARK: Valid requests

  @Test func parsesASimpleGet() throws {
    let request = try #require(ParserHarness.parse("GET /records HTTP/1.1\r\nHost: hub\r\nAccept: */*\r\n\r\n").request)
    #expect(request.method == .get)
    #expect(request.target == "/records")
    #expect(request.path == "/records")
    #expect(request.pathSegments == ["records"])
    #expect(request.query == nil)
    #expect(request.version == .http1_1)
    #expect(request.headers["host"] == "hub")
    #expect(request.headers["ACCEPT"] == "*/*")
    #expect(request.body.isEmpty)
    #expect(request.keepAlive)
  }

  @Test func parsesAPostWithContentLengthBody() throws {
    let result = ParserHarness.parse("POST /push HTTP/1.1\r\nHost: hub\r\nContent-Length: 5\r\n\r\nhello")
    let request = try #require(result.request)
    #expect(request.method == .post)
    #expect(request.body == Array("hello".utf8))
    #expect(request.bodyData == Data("hello".utf8))
  }

  @Test func waitsForTheWholeBody() {
    var parser = HTTPRequestParser()
    parser.feed(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab".utf8))
    #expect(parser.next() == .needsMoreData)
    #expect(parser.isReadingBody)
    parser.feed(Array("cd".utf8))
    #expect(parser.next().request?.body == Array("abcd".utf8))
    #expect(parser.isAtRequestBoundary)
  }

  @Test func decodesQueryItems() throws {
    let request = try #require(
      ParserHarness.parse("GET /pull?since=12&site=%E6%9D%B1%E4%BA%AC&flag&empty=&plus=a+b HTTP/1.1\r\nHost: h\r\n\r\n")
        .request)
    #expect(request.path == "/pull")
    #expect(request.query == "since=12&site=%E6%9D%B1%E4%BA%AC&flag&empty=&plus=a+b")
    #expect(
      request.queryItems == [
        HTTPQueryItem(name: "since", value: "12"),
        HTTPQueryItem(name: "site", value: "東京"),
        HTTPQueryItem(name: "flag", value: nil),
        HTTPQueryItem(name: "empty", value: ""),
        HTTPQueryItem(name: "plus", value: "a+b"),
      ])
    #expect(request.queryValue(for: "site") == "東京")
    #expect(request.queryValue(for: "flag") == nil)
    #expect(request.queryValue(for: "missing") == nil)
  }

  @Test func decodesPathSegmentsOneByOne() throws {
    let request = try #require(ParserHarness.parse("GET /records/a%2Fb/%E5%8F%B0/ HTTP/1.1\r\nHost: h\r\n\r\n").request)
    #expect(request.path == "/records/a%2Fb/%E5%8F%B0/")
    #expect(request.pathSegments == ["records", "a/b", "台", ""])
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n").request?.pathSegments == [])
  }

  @Test func acceptsAbsoluteFormTargets() throws {
    let request = try #require(
      ParserHarness.parse("GET http://hub:8080/pull?x=1 HTTP/1.1\r\nHost: hub:8080\r\n\r\n").request)
    #expect(request.path == "/pull")
    #expect(request.queryValue(for: "x") == "1")
    #expect(ParserHarness.parse("GET http://hub HTTP/1.1\r\nHost: hub\r\n\r\n").request?.path == "/")
  }

  @Test func acceptsAsteriskFormOnlyForOptions() {
    #expect(ParserHarness.parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").request?.path == "*")
    #expect(ParserHarness.parse("GET * HTTP/1.1\r\nHost: h\r\n\r\n").error?.kind == .invalidTarget)
  }

  @Test func skipsEmptyLinesBeforeTheRequestLine() {
    #expect(ParserHarness.parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").request?.method == .get)
  }

  @Test func trimsWhitespaceAroundFieldValues() {
    let request = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nX-Thing: \t spaced value \t\r\n\r\n").request
    #expect(request?.headers["x-thing"] == "spaced value")
  }

  @Test func keepsRepeatedFieldsInOrder() {
    let request = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n").request
    #expect(request?.headers.values(for: "X-A") == ["1", "2"])
  }

  @Test func readsObsoleteTextAsLatin1() {
    var parser = HTTPRequestParser()
    parser.feed(Array("GET / HTTP/1.1\r\nHost: h\r\nX-Name: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8))
    #expect(parser.next().request?.headers["X-Name"] == "café")
  }

  // MARK: Request line

  @Test(arguments: [
    "GET /\r\n", "GET  / HTTP/1.1\r\n", "GET /  HTTP/1.1\r\n", "GET / HTTP/1.1 \r\n", " GET / HTTP/1.1\r\n",
    "GET\t/ HTTP/1.1\r\n", "GET / extra HTTP/1.1\r\n", "G(T / HTTP/1.1\r\n", "GET\r\n",
  ])
  func malformedRequestLineIs400(line: String) {
    let error = ParserHarness.parse(line + "Host: h\r\n\r\n").error
    #expect(error?.kind == .malformedRequestLine)
    #expect(error?.status == .badRequest)
    #expect(error?.closesConnection == true)
  }

  @Test(arguments: ["http/1.1", "HTTP/1.1.1", "HTTP/11", "HTTP/1", "HTTP/a.b", "HTTPS/1.1"])
  func malformedVersionIs400(version: String) {
    #expect(ParserHarness.parse("GET / \(version)\r\nHost: h\r\n\r\n").error?.status == .badRequest)
  }

  @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0"])
  func otherVersionsAre505(version: String) {
    let error = ParserHarness.parse("GET / \(version)\r\nHost: h\r\n\r\n").error
    #expect(error?.kind == .unsupportedVersion)
    #expect(error?.status == .httpVersionNotSupported)
  }

  @Test(arguments: ["CONNECT", "PROPFIND", "get", "BREW"])
  func unknownMethodIs501(method: String) {
    let error = ParserHarness.parse("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n").error
    #expect(error?.kind == .unsupportedMethod)
    #expect(error?.status == .notImplemented)
  }

  @Test(arguments: ["/a b", "/a#frag", "/a%zz", "/a%4", "/a\u{7F}", "/é", "/a<b>", "/%FF", "relative", "ftp://h/x"])
  func invalidTargetIs400(target: String) {
    let error = ParserHarness.parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n").error
    #expect(error?.status == .badRequest)
  }

  @Test func invalidPercentEncodingIs400() {
    let error = ParserHarness.parse("GET /a?x=%G1 HTTP/1.1\r\nHost: h\r\n\r\n").error
    #expect(error?.kind == .invalidTarget)
    #expect(error?.status == .badRequest)
  }

  @Test func requestLineOverTheLimitIs414() {
    let target = "/" + String(repeating: "a", count: 300)
    let error = ParserHarness.parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n", maxHeaderBytes: 256).error
    #expect(error?.kind == .requestLineTooLong)
    #expect(error?.status == .uriTooLong)
  }

  // MARK: Versions and persistence

  @Test func http10IsAcceptedWithoutKeepAlive() throws {
    let request = try #require(ParserHarness.parse("GET / HTTP/1.0\r\n\r\n").request)
    #expect(request.version == .http1_0)
    #expect(!request.keepAlive)
  }

  @Test func http10KeepsAliveOnlyWhenAsked() {
    #expect(ParserHarness.parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request?.keepAlive == true)
  }

  @Test func http11ClosesOnConnectionClose() {
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").request?.keepAlive == false)
    #expect(
      ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, CLOSE\r\n\r\n").request?.keepAlive
        == false)
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\n\r\n").request?.keepAlive == true)
  }

  // MARK: Line endings

  @Test func bareLineFeedAfterRequestLineIs400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\nHost: h\r\n\r\n").error
    #expect(error?.kind == .bareLineFeed)
    #expect(error?.status == .badRequest)
  }

  @Test func bareLineFeedAfterFieldIs400() {
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\n\r\n").error?.kind == .bareLineFeed)
  }

  @Test func bareLineFeedEndingTheHeadIs400() {
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\n\n").error?.kind == .bareLineFeed)
  }

  @Test func bareLineFeedBeforeTheRequestLineIs400() {
    #expect(ParserHarness.parse("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").error?.status == .badRequest)
  }

  @Test func bareCarriageReturnInsideALineIs400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n").error
    #expect(error?.kind == .bareCarriageReturn)
    #expect(error?.status == .badRequest)
  }

  // MARK: Field syntax

  @Test func fieldWithoutColonIs400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n").error
    #expect(error?.kind == .malformedField)
    #expect(error?.status == .badRequest)
  }

  @Test func fieldWithEmptyNameIs400() {
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\n: value\r\n\r\n").error?.kind == .malformedField)
  }

  @Test(arguments: ["Host : h", "Host\t: h", "Content-Length : 0"])
  func whitespaceBeforeColonIs400(field: String) {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\n\(field)\r\n\r\n").error
    #expect(error?.kind == .whitespaceBeforeColon)
    #expect(error?.status == .badRequest)
  }

  @Test(arguments: ["X(A): 1", "X/A: 1", "X\"A: 1", "X@A: 1", "Ä: 1"])
  func fieldNameThatIsNotATokenIs400(field: String) {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\n\(field)\r\n\r\n").error
    #expect(error?.kind == .invalidFieldName)
    #expect(error?.status == .badRequest)
  }

  @Test(arguments: [0x00, 0x01, 0x1B, 0x7F] as [UInt8])
  func controlCharacterInFieldValueIs400(byte: UInt8) {
    var parser = HTTPRequestParser()
    parser.feed(Array("GET / HTTP/1.1\r\nHost: h\r\nX-A: a".utf8) + [byte] + Array("b\r\n\r\n".utf8))
    let error = parser.next().error
    #expect(error?.kind == .invalidFieldValue)
    #expect(error?.status == .badRequest)
  }

  @Test func obsoleteLineFoldingIs400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nX-Long: part one\r\n  part two\r\n\r\n").error
    #expect(error?.kind == .obsoleteLineFolding)
    #expect(error?.status == .badRequest)
  }

  @Test func whitespaceBeforeTheFirstFieldIs400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\n\tHost: h\r\n\r\n").error
    #expect(error?.kind == .obsoleteLineFolding)
    #expect(error?.status == .badRequest)
  }

  @Test func headerBlockOverTheLimitIs431() {
    let filler = (0..<20).map { "X-Filler-\($0): \(String(repeating: "v", count: 20))\r\n" }.joined()
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\n\(filler)\r\n", maxHeaderBytes: 256).error
    #expect(error?.kind == .headerTooLarge)
    #expect(error?.status == .requestHeaderFieldsTooLarge)
  }

  @Test func headerBlockOverTheLimitIs431EvenWhenItNeverEnds() {
    var parser = HTTPRequestParser(maxHeaderBytes: 256)
    parser.feed(Array("GET / HTTP/1.1\r\nHost: h\r\nX-Endless: ".utf8))
    #expect(parser.next() == .needsMoreData)
    parser.feed([UInt8](repeating: UInt8(ascii: "v"), count: 300))
    #expect(parser.next().error?.status == .requestHeaderFieldsTooLarge)
  }

  @Test func headerBlockExactlyAtTheLimitIsAccepted() {
    let head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
    #expect(ParserHarness.parse(head, maxHeaderBytes: head.utf8.count).request != nil)
    #expect(
      ParserHarness.parse(head, maxHeaderBytes: head.utf8.count - 1).error?.status == .requestHeaderFieldsTooLarge)
  }

  @Test func defaultHeaderLimitIs64KiB() {
    #expect(HTTPRequestParser().maxHeaderBytes == 64 * 1024)
    #expect(HTTPRequestParser().maxBodyBytes == 16 * 1024 * 1024)
    let filler = String(repeating: "v", count: 65 * 1024)
    #expect(
      ParserHarness.parse("GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(filler)\r\n\r\n").error?.status
        == .requestHeaderFieldsTooLarge)
  }

  // MARK: Host

  @Test func missingHostOnHTTP11Is400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n").error
    #expect(error?.kind == .missingHost)
    #expect(error?.status == .badRequest)
  }

  @Test func twoHostFieldsAre400() {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").error
    #expect(error?.kind == .multipleHosts)
    #expect(error?.status == .badRequest)
  }

  @Test(arguments: ["a b", "a/b", "user@host", "a?b"])
  func invalidHostIs400(host: String) {
    let error = ParserHarness.parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").error
    #expect(error?.kind == .invalidHost)
    #expect(error?.status == .badRequest)
  }

  @Test(arguments: ["hub", "hub.example:8443", "127.0.0.1:80", "[::1]:8080", ""])
  func validHostsAreAccepted(host: String) {
    #expect(ParserHarness.parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").request != nil)
  }

  // MARK: Framing

  @Test func contentLengthWithTransferEncodingIs400() {
    let error = ParserHarness.parse(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc"
    ).error
    #expect(error?.kind == .contentLengthWithTransferEncoding)
    #expect(error?.status == .badRequest)
  }

  @Test func differentContentLengthLinesAre400() {
    let error = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
      .error
    #expect(error?.kind == .conflictingContentLength)
    #expect(error?.status == .badRequest)
  }

  @Test func contentLengthListWithDifferentValuesIs400() {
    let error = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\nabcd").error
    #expect(error?.kind == .conflictingContentLength)
    #expect(error?.status == .badRequest)
  }

  @Test func identicalContentLengthsAreOneLength() {
    #expect(
      ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc").request?
        .body == Array("abc".utf8))
    #expect(
      ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3 , 3\r\n\r\nabc").request?.body
        == Array("abc".utf8))
  }

  @Test(arguments: ["abc", "-1", "+5", "1 0", "", "0x10", "5.0", "5,", "1e3", "٣"])
  func nonDigitContentLengthIs400(value: String) {
    let error = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\n").error
    #expect(error?.kind == .invalidContentLength)
    #expect(error?.status == .badRequest)
  }

  @Test(arguments: ["chunked", "gzip, chunked", "identity"])
  func transferEncodingIs501(coding: String) {
    let error = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: \(coding)\r\n\r\n").error
    #expect(error?.kind == .transferEncodingNotImplemented)
    #expect(error?.status == .notImplemented)
  }

  @Test func transferEncodingInHTTP10Is400() {
    let error = ParserHarness.parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n").error
    #expect(error?.kind == .transferEncodingInHTTP10)
    #expect(error?.status == .badRequest)
  }

  @Test func contentLengthOverTheLimitIs413BeforeAnyContent() {
    var parser = HTTPRequestParser(maxBodyBytes: 1000)
    parser.feed(Array("POST /push HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n".utf8))
    let error = parser.next().error
    #expect(error?.kind == .contentTooLarge)
    #expect(error?.status == .contentTooLarge)
    #expect(error?.closesConnection == true)
  }

  @Test func hugeContentLengthIs413() {
    let error = ParserHarness.parse(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999999999\r\n\r\n"
    ).error
    #expect(error?.status == .contentTooLarge)
  }

  @Test func defaultBodyLimitIs16MiB() {
    let over = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 16777217\r\n\r\n")
    #expect(over.error?.status == .contentTooLarge)
    let atLimit = ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 16777216\r\n\r\n")
    #expect(atLimit == .needsMoreData)
  }

  @Test func contentExactlyAtTheLimitIsAccepted() {
    #expect(
      ParserHarness.parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabcd", maxBodyBytes: 4).request?.body
        .count == 4)
  }

  // MARK: Expect: 100-continue

  @Test func asksForContinueUntilContentArrives() {
    var parser = HTTPRequestParser()
    parser.feed(Array("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
    #expect(parser.next() == .needsMoreData)
    #expect(parser.shouldSendContinue)
    parser.didSendContinue()
    #expect(!parser.shouldSendContinue)
    parser.feed(Array("ok".utf8))
    #expect(parser.next().request?.body == Array("ok".utf8))
  }

  @Test func doesNotAskForContinueWithoutExpect() {
    var parser = HTTPRequestParser()
    parser.feed(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n".utf8))
    #expect(parser.next() == .needsMoreData)
    #expect(!parser.shouldSendContinue)
  }

  // MARK: Errors are final

  @Test func anErrorIsSticky() {
    var parser = HTTPRequestParser()
    parser.feed(Array("GET / HTTP/1.1\nHost: h\r\n\r\n".utf8))
    let first = parser.next()
    #expect(first.error?.kind == .bareLineFeed)
    parser.feed(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
    #expect(parser.next() == first)
  }

  @Test func errorsRenderAsJSON() throws {
    let error = try #require(ParserHarness.parse("GET / HTTP/1.1\r\n\r\n").error)
    let response = error.httpError.response
    #expect(response.status == .badRequest)
    #expect(response.headers["Content-Type"] == "application/json")
    let body = String(decoding: response.body, as: UTF8.self)
    #expect(body.hasPrefix(#"{"error":{"code":"bad-request","message":"#))
  }
}
