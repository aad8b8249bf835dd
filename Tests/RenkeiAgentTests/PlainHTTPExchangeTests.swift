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
    let listening = try LoopbackListener(backlog: 1)
    let listener = listening.descriptor
    let bytes = Array(answer.utf8)
    Thread.detachNewThread {
      let connection = accept(listener, nil, nil)
      var buffer = [UInt8](repeating: 0, count: 4096)
      _ = recv(connection, &buffer, buffer.count, 0)
      _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      close(connection)
      close(listener)
    }
    return listening.port
  }

  static func exchange(_ answer: String, limit: Int = 1 << 20) async throws -> PlainHTTPExchange.Answer {
    let port = try serveOnce(answer)
    return try await PlainHTTPExchange(
      url: URL(string: "http://127.0.0.1:\(port)/v1/health")!, method: "GET", headers: [], body: nil, timeout: 5, limit: limit
    ).run()
  }

  /// The failure's text, or a recorded issue when the exchange succeeded.
  static func failure(_ answer: String, limit: Int = 1 << 20) async -> String {
    do {
      let answer = try await exchange(answer, limit: limit)
      Issue.record("accepted: \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
      return ""
    } catch {
      return "\(error)"
    }
  }

  /// A sync that stops (its store failed) cancels the page it asked for ahead: the exchange
  /// must end then, not when a hub that has not answered yet answers or times out.
  @Test func cancellingAnExchangeCutsItsConnection() async throws {
    let listening = try LoopbackListener(backlog: 1)
    let listener = listening.descriptor
    let requestArrived = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      // Reads the request and never answers; holds the connection until the test is done.
      let connection = accept(listener, nil, nil)
      var buffer = [UInt8](repeating: 0, count: 4096)
      _ = recv(connection, &buffer, buffer.count, 0)
      requestArrived.signal()
      finished.wait()
      close(connection)
      close(listener)
    }
    defer { finished.signal() }
    // Without the cancellation, the exchange would end only at this timeout, as a failure.
    let exchange = PlainHTTPExchange(
      url: URL(string: "http://127.0.0.1:\(listening.port)/v1/pull")!, method: "GET", headers: [], body: nil, timeout: 20)
    let task = Task { try await exchange.run() }
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        requestArrived.wait()
        continuation.resume()
      }
    }
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
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
    // Chunked framing that is broken: not hexadecimal, signed, spaced, a bare LF, data
    // longer than its size, cut in a chunk, cut before the last chunk, cut in the trailer.
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nx5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nExpires: 0\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
    // A length beside chunked framing, two lengths, a coding renkei does not read.
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Len",
    "SSH-2.0-OpenSSH\r\n\r\n",
  ])
  func aBrokenAnswerIsAnErrorNotACrash(answer: String) async throws {
    await #expect(throws: PlainHTTPExchange.Failure.self) { try await Self.exchange(answer) }
  }

  @Test func readsAChunkedAnswerWithExtensionsAndATrailer() async throws {
    let answer = try await Self.exchange(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nExpires: 0\r\n\r\nafter the end")
    #expect(answer.status == 200)
    #expect(answer.contentEncoding == "gzip")
    #expect(String(decoding: answer.body, as: UTF8.self) == "hello 0123456789")
  }

  @Test func identityIsNoTransferCodingAndAnEmptyChunkedBodyIsABody() async throws {
    let answer = try await Self.exchange("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n")
    #expect(answer.status == 200)
    #expect(answer.body.isEmpty)
  }

  @Test func twoEqualLengthsAreOneLength() async throws {
    let answer = try await Self.exchange("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
    #expect(String(decoding: answer.body, as: UTF8.self) == "hello")
  }

  @Test(arguments: [
    // A declared length over the limit is refused before its bytes are read.
    "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n" + String(repeating: "x", count: 17),
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n" + String(repeating: "x", count: 17) + "\r\n0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "3\r\nxxx\r\n", count: 6) + "0\r\n\r\n",
    "HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 17),
  ])
  func anAnswerLargerThanTheLimitIsRefused(answer: String) async throws {
    let failure = await Self.failure(answer, limit: 16)
    #expect(failure.contains("larger than 16 bytes"), "\(failure)")
  }

  @Test func anAnswerOfExactlyTheLimitIsRead() async throws {
    let chunked = try await Self.exchange(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + String(repeating: "x", count: 16) + "\r\n0\r\n\r\n", limit: 16)
    #expect(chunked.body.count == 16)
    let toTheEnd = try await Self.exchange("HTTP/1.1 200 OK\r\n\r\n" + String(repeating: "x", count: 16), limit: 16)
    #expect(toTheEnd.body.count == 16)
  }

  @Test func anEndlessHeadIsRefused() async throws {
    let failure = await Self.failure("HTTP/1.1 200 OK\r\nX-Filler: " + String(repeating: "x", count: HTTPAnswerReader.maxHeadBytes + 10))
    #expect(failure.contains("head is longer than"), "\(failure)")
  }

  @Test func chunkSizesAreHexadecimalDigitsOnly() {
    func size(_ text: String) -> Int? { HTTPAnswerReader.chunkSize(ArraySlice(text.utf8)) }
    #expect(size("0") == 0)
    #expect(size("fF") == 255)
    #expect(size("00000000000000a") == 10)
    #expect(size(String(repeating: "0", count: 40) + "1") == 1, "leading zeros say nothing")
    #expect(size("7fffffffffffffff") == Int.max, "too long to read is as large as can be: over any limit")
    for bad in ["", "-1", "+1", "0x10", "1 ", " 1", "g", "1.0"] { #expect(size(bad) == nil, "\(bad)") }
  }
}
