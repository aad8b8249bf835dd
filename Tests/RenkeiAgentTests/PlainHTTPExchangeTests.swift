import Foundation
import Glibc
import Testing

@testable import RenkeiAgent

/// The agent's plain-HTTP client against a one-shot loopback server that answers with
/// exactly the bytes a test gives: good answers are read whole, broken ones are errors the
/// sync can retry, never a crash.
@Suite struct PlainHTTPExchangeTests {
  /// Listens on a free loopback port, accepts one connection, reads the request head and
  /// writes `answer`, then closes.
  static func serveOnce(_ answer: String) throws -> Int {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    try withUnsafePointer(to: &address) {
      try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        guard bind(listener, $0, length) == 0, listen(listener, 1) == 0 else { throw PlainHTTPExchange.Failure(description: "bind") }
      }
    }
    withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    let bytes = Array(answer.utf8)
    Thread.detachNewThread {
      let connection = accept(listener, nil, nil)
      var buffer = [UInt8](repeating: 0, count: 4096)
      _ = recv(connection, &buffer, buffer.count, 0)
      _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      close(connection)
      close(listener)
    }
    return port
  }

  static func exchange(_ answer: String) async throws -> PlainHTTPExchange.Answer {
    let port = try serveOnce(answer)
    return try await PlainHTTPExchange(
      url: URL(string: "http://127.0.0.1:\(port)/v1/health")!, method: "GET", headers: [], body: nil, timeout: 5
    ).run()
  }

  @Test func readsAnAnswerWithItsLengthAfterAnInterimOne() async throws {
    let answer = try await Self.exchange("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello and more")
    #expect(answer.status == 200)
    #expect(String(decoding: answer.body, as: UTF8.self) == "hello")
  }

  @Test(arguments: [
    "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nx",
    "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\ncut short",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Len",
    "SSH-2.0-OpenSSH\r\n\r\n",
  ])
  func aBrokenAnswerIsAnErrorNotACrash(answer: String) async throws {
    await #expect(throws: PlainHTTPExchange.Failure.self) { try await Self.exchange(answer) }
  }
}
