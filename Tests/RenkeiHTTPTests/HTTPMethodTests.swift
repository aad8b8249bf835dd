import Testing

@testable import RenkeiHTTP

@Suite struct HTTPMethodTests {
  @Test func methodsAreCaseSensitiveTokens() {
    #expect(HTTPMethod(rawValue: "GET") == .get)
    #expect(HTTPMethod(rawValue: "get") == nil)
  }
}
