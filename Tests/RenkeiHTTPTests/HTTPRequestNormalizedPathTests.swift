import Testing

import RenkeiHTTP

/// `HTTPRequest.normalizedPath`: percent-encoded unreserved characters are the characters
/// (RFC 3986 §2.3, §6.2.2.2); every other escape stays, as data.
@Suite struct HTTPRequestNormalizedPathTests {
  func normalized(_ target: String) throws -> String {
    try #require(HTTPRequest(method: .get, target: target), "\(target) does not parse").normalizedPath
  }

  @Test(arguments: [
    ("/v1/records/%61b%2Dc/history", "/v1/records/ab-c/history"),
    ("/v1/records/%61b%2dc/history", "/v1/records/ab-c/history"),
    ("/%76%31/%68ealth", "/v1/health"),
    ("/a%2E%5F%7E%41%5A%30%39", "/a._~AZ09"),
    ("http://hub:8080/v1/conflicts/%37?x=%61", "/v1/conflicts/7"),
  ])
  func anEscapedUnreservedCharacterIsTheCharacter(target: String, path: String) throws {
    #expect(try normalized(target) == path)
  }

  @Test(arguments: [
    ("/records/a%2fb", "/records/a%2Fb"),
    ("/records/%20%25%3F%23", "/records/%20%25%3F%23"),
    ("/records/%e5%8f%b0", "/records/%E5%8F%B0"),
    // Decoded once only: `%2561` is an escaped `%` followed by `61`, not `a`.
    ("/records/%2561", "/records/%2561"),
  ])
  func anyOtherEscapeStaysWithItsDigitsInUpperCase(target: String, path: String) throws {
    #expect(try normalized(target) == path)
  }

  @Test func aPathWithoutEscapesIsItself() throws {
    #expect(try normalized("/v1/records/ks-seminar-2016-07-19/history") == "/v1/records/ks-seminar-2016-07-19/history")
    #expect(try normalized("/") == "/")
  }
}
