import Testing

@testable import RenkeiHTTP

@Suite struct HTTPHeadersTests {
  @Test func lookupIgnoresCase() {
    let headers: HTTPHeaders = ["Content-Type": "application/json", "X-Count": "1"]
    #expect(headers["content-type"] == "application/json")
    #expect(headers["CONTENT-TYPE"] == "application/json")
    #expect(headers["x-missing"] == nil)
    #expect(headers.contains(name: "x-count"))
  }

  @Test func keepsOrderAndDuplicates() {
    var headers = HTTPHeaders()
    headers.add(name: "Set-Cookie", value: "a")
    headers.add(name: "X-Other", value: "o")
    headers.add(name: "set-cookie", value: "b")
    #expect(headers.map(\.name) == ["Set-Cookie", "X-Other", "set-cookie"])
    #expect(headers.values(for: "SET-COOKIE") == ["a", "b"])
    #expect(headers["Set-Cookie"] == "a")
  }

  @Test func replaceOrAddKeepsThePositionOfTheFirst() {
    var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3", "C": "4"]
    headers.replaceOrAdd(name: "a", value: "new")
    #expect(
      headers.fields == [.init(name: "A", value: "new"), .init(name: "B", value: "2"), .init(name: "C", value: "4")])
    headers.replaceOrAdd(name: "D", value: "5")
    #expect(headers.last?.name == "D")
  }

  @Test func subscriptSetterReplacesAndRemoves() {
    var headers: HTTPHeaders = ["A": "1", "a": "2"]
    headers["A"] = "3"
    #expect(headers.values(for: "a") == ["3"])
    headers["a"] = nil
    #expect(headers.isEmpty)
  }

  @Test func findsTokensInCommaSeparatedLists() {
    let headers: HTTPHeaders = ["Connection": "keep-alive, Upgrade", "connection": " CLOSE "]
    #expect(headers.containsToken("close", inField: "Connection"))
    #expect(headers.containsToken("upgrade", inField: "connection"))
    #expect(!headers.containsToken("keep", inField: "Connection"))
  }
}
