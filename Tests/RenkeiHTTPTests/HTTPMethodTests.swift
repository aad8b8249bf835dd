import Testing

@testable import RenkeiHTTP

@Suite struct HTTPMethodTests {
  @Test func methodsAreCaseSensitiveTokens() {
    #expect(HTTPMethod(rawValue: "GET") == .get)
    #expect(HTTPMethod(rawValue: "get") == nil)
  }

  /// Schema-aware API fuzzing sends every method OpenAPI can describe to every path; the
  /// hub must answer 405 with Allow for them, so the parser must let them through.
  @Test(arguments: ["PATCH", "TRACE", "QUERY"])
  func methodsAnOpenAPIPathMayNameReachTheHandler(_ method: String) {
    var parser = HTTPRequestParser()
    parser.feed(Array("\(method) /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n".utf8))
    guard case .request(let request) = parser.next() else {
      Issue.record("\(method) was refused by the parser")
      return
    }
    #expect(request.method.rawValue == method)
  }

  @Test(arguments: ["CONNECT", "PROPFIND", "BREW"])
  func unknownMethodsAreNotImplemented(_ method: String) {
    var parser = HTTPRequestParser()
    parser.feed(Array("\(method) /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n".utf8))
    guard case .error(let error) = parser.next() else {
      Issue.record("\(method) was accepted")
      return
    }
    #expect(error.kind == .unsupportedMethod)
    #expect(error.status == .notImplemented)
  }

  /// RFC 9110 §9.3.2: HEAD is answered wherever GET is, and nowhere else.
  @Test func headIsAllowedWhereverGetIs() {
    #expect(HTTPMethod.head.isAllowed(by: [.get]))
    #expect(HTTPMethod.head.isAllowed(by: [.post, .get]))
    #expect(HTTPMethod.head.isAllowed(by: [.head]))
    #expect(!HTTPMethod.head.isAllowed(by: [.post]))
    #expect(!HTTPMethod.head.isAllowed(by: []))
    #expect(HTTPMethod.get.isAllowed(by: [.get]))
    #expect(!HTTPMethod.get.isAllowed(by: [.head]))
    #expect(!HTTPMethod.put.isAllowed(by: [.get, .post]))
  }

  @Test(arguments: [
    ([HTTPMethod.get], "GET, HEAD"), ([.post], "POST"), ([.get, .post], "GET, HEAD, POST"), ([.post, .get], "POST, GET, HEAD"),
    ([.get, .head], "GET, HEAD"), ([.head, .get], "HEAD, GET"), ([.get, .get], "GET, HEAD"), ([], ""),
  ])
  func allowNamesHeadAfterGet(methods: [HTTPMethod], value: String) {
    #expect(HTTPMethod.allowFieldValue(for: methods) == value)
  }
}
