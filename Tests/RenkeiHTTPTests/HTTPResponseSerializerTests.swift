import Foundation
import Testing

@testable import RenkeiHTTP

@Suite struct HTTPResponseSerializerTests {
  private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

  @Test func writesStatusLineFieldsAndContentLength() {
    let response = HTTPResponse(status: .created, headers: ["Content-Type": "text/plain"], body: Array("made".utf8))
    let bytes = HTTPResponseSerializer.serialize(response, keepAlive: true)
    #expect(text(bytes) == "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nmade")
  }

  @Test func alwaysWritesContentLengthEvenWhenEmpty() {
    let bytes = HTTPResponseSerializer.serialize(HTTPResponse(status: .ok), keepAlive: true)
    #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
  }

  @Test func writesConnectionCloseWhenClosing() {
    let bytes = HTTPResponseSerializer.serialize(HTTPResponse(status: .ok), keepAlive: false)
    #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
  }

  @Test func statesKeepAliveToHTTP10Clients() {
    let bytes = HTTPResponseSerializer.serialize(HTTPResponse(), keepAlive: true, requestVersion: .http1_0)
    #expect(text(bytes).contains("Connection: keep-alive\r\n"))
  }

  @Test func writesDateWhenGiven() {
    let date = Date(timeIntervalSince1970: 784_111_777)
    let bytes = HTTPResponseSerializer.serialize(HTTPResponse(), keepAlive: true, date: date)
    #expect(text(bytes).contains("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"))
    let own = HTTPResponse(headers: ["Date": "Mon, 07 Nov 1994 00:00:00 GMT"])
    let kept = text(HTTPResponseSerializer.serialize(own, keepAlive: true, date: date))
    #expect(kept.contains("Date: Mon, 07 Nov 1994") && !kept.contains("Sun, 06"))
  }

  @Test func formatsIMFFixdate() {
    #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 1_709_251_199.9)) == "Thu, 29 Feb 2024 23:59:59 GMT")
  }

  @Test func headResponsesKeepTheLengthButNotTheContent() {
    let bytes = HTTPResponseSerializer.serialize(
      HTTPResponse(body: Array("twelve bytes".utf8)), keepAlive: true, isHeadRequest: true)
    #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n")
  }

  @Test func noContentStatusesHaveNeitherLengthNorContent() {
    let bytes = HTTPResponseSerializer.serialize(HTTPResponse(status: .noContent, body: [1, 2]), keepAlive: true)
    #expect(text(bytes) == "HTTP/1.1 204 No Content\r\n\r\n")
    let notModified = HTTPResponseSerializer.serialize(HTTPResponse(status: .notModified), keepAlive: true)
    #expect(text(notModified) == "HTTP/1.1 304 Not Modified\r\n\r\n")
  }

  @Test func theSerializerOwnsFraming() {
    let response = HTTPResponse(
      headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "Connection": "keep-alive", "X-A": "1"],
      body: [65])
    #expect(
      text(HTTPResponseSerializer.serialize(response, keepAlive: false))
        == "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 1\r\nConnection: close\r\n\r\nA")
  }

  @Test func fieldsThatCouldSplitTheResponseAreDropped() {
    let response = HTTPResponse(headers: ["X-Evil": "a\r\nSet-Cookie: stolen", "Bad Name": "v", "X-Good": "ok"])
    #expect(!HTTPResponseSerializer.isValid(response))
    let written = text(HTTPResponseSerializer.serialize(response, keepAlive: true))
    #expect(written == "HTTP/1.1 200 OK\r\nX-Good: ok\r\nContent-Length: 0\r\n\r\n")
    #expect(HTTPResponseSerializer.isValid(HTTPResponse(headers: ["X-Good": "ok"])))
  }

  @Test func customStatusesUseTheirReasonPhrase() {
    let bytes = HTTPResponseSerializer.serialize(
      HTTPResponse(status: HTTPStatus(code: 299, reasonPhrase: "Fine\r\nX")), keepAlive: true)
    #expect(text(bytes).hasPrefix("HTTP/1.1 299 FineX\r\n"))
    #expect(HTTPStatus(code: 404) == .notFound)
    #expect(HTTPStatus(code: 404, reasonPhrase: "Gone Fishing") == .notFound)
  }
}
