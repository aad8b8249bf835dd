import Foundation
import Glibc
import RenkeiCompression
import RenkeiCore
import Synchronization
import Testing

@testable import RenkeiAgent

/// The client's side of content coding against a scripted hub on loopback: pushes go
/// gzip-coded, answers are decoded, and a hub that refuses a coded push gets it plain.
@Suite struct HubClientCompressionTests {
  /// One request as the scripted hub received it.
  struct Received: Sendable {
    let head: String
    let body: [UInt8]
    func field(_ name: String) -> String? {
      head.components(separatedBy: "\r\n").dropFirst().first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
        .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
    }
  }

  /// A hub that answers `connections` requests, one per connection, with `answer`.
  final class ScriptedHub: Sendable {
    let port: Int
    let received = Mutex<[Received]>([])

    init(connections: Int, answer: @escaping @Sendable (Received) -> [UInt8]) throws {
      let listening = try LoopbackListener(backlog: 8)
      let listener = listening.descriptor
      port = listening.port
      Thread.detachNewThread { [self] in
        defer { close(listener) }
        for _ in 0..<connections {
          let connection = accept(listener, nil, nil)
          guard connection >= 0 else { return }
          let request = Self.read(connection)
          self.received.withLock { $0.append(request) }
          let bytes = answer(request)
          _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
          close(connection)
        }
      }
    }

    private static func read(_ connection: Int32) -> Received {
      var buffer: [UInt8] = []
      var chunk = [UInt8](repeating: 0, count: 65_536)
      func fill() -> Bool {
        let count = recv(connection, &chunk, chunk.count, 0)
        if count > 0 { buffer += chunk[0..<count] }
        return count > 0
      }
      while true {
        if let end = buffer.indices.dropLast(3).first(where: { buffer[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) }) {
          let head = String(decoding: buffer[..<end], as: UTF8.self)
          let request = Received(head: head, body: [])
          let length = Int(request.field("Content-Length") ?? "0") ?? 0
          while buffer.count < end + 4 + length && fill() {}
          return Received(head: head, body: Array(buffer[(end + 4)...].prefix(length)))
        }
        guard fill() else { return Received(head: "", body: []) }
      }
    }
  }

  static func answer(_ status: String, _ body: [UInt8], fields: String = "") -> [UInt8] {
    Array("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\n\(fields)Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }

  static let pushResult = Array(#"{"acknowledged_sequence":1,"applied":1,"conflicts":[]}"#.utf8)

  @Test func aPushIsSentGzipCodedAndAcceptsGzipAnswers() async throws {
    let hub = try ScriptedHub(connections: 1) { _ in
      Self.answer("200 OK", Gzip.compress(Self.pushResult), fields: "Content-Encoding: gzip\r\n")
    }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    let result = try await client.push([])
    #expect(result.applied == 1)
    let request = try #require(hub.received.withLock { $0.first })
    #expect(request.field("Content-Encoding") == "gzip")
    #expect(request.field("Accept-Encoding") == "gzip")
    let json = try Gzip.decompress(request.body, limit: 1 << 20)
    #expect(try JSONDecoder().decode(PushRequest.self, from: Data(json)) == PushRequest(changes: []))
  }

  @Test(arguments: [415, 400])
  func aHubThatRefusesACodedPushGetsItPlainFromThenOn(status: Int) async throws {
    let hub = try ScriptedHub(connections: 3) { request in
      if request.field("Content-Encoding") != nil {
        return Self.answer(
          "\(status) Refused", Array(#"{"error":{"code":"refused","message":"not this encoding"}}"#.utf8))
      }
      return Self.answer("200 OK", Self.pushResult)
    }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    #expect(try await client.push([]).applied == 1)
    #expect(try await client.push([]).applied == 1)
    let requests = hub.received.withLock { $0 }
    #expect(requests.map { $0.field("Content-Encoding") } == ["gzip", nil, nil])
    #expect(try JSONDecoder().decode(PushRequest.self, from: Data(requests[1].body)) == PushRequest(changes: []))
  }

  @Test func aGenuine400DoesNotSwitchCompressionOff() async throws {
    let hub = try ScriptedHub(connections: 4) { _ in
      Self.answer("400 Bad Request", Array(#"{"error":{"code":"bad-request","message":"not a valid push"}}"#.utf8))
    }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    for _ in 0..<2 { await #expect(throws: HubRefusal.self) { try await client.push([]) } }
    // Each push coded, then plain (both refused): the plain one did not help, so the next is coded again.
    #expect(hub.received.withLock { $0.map { $0.field("Content-Encoding") } } == ["gzip", nil, "gzip", nil])
  }

  @Test func copiesOnFreshConnectionsShareWhatTheClientLearned() async throws {
    let hub = try ScriptedHub(connections: 4) { request in
      if request.field("Content-Encoding") != nil {
        return Self.answer("415 Unsupported Media Type", Array(#"{"error":{"code":"refused","message":"no"}}"#.utf8))
      }
      return Self.answer("200 OK", Self.pushResult)
    }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    for _ in 0..<3 { #expect(try await client.onFreshConnections().push([]).applied == 1) }
    #expect(hub.received.withLock { $0.map { $0.field("Content-Encoding") } } == ["gzip", nil, nil, nil])
  }

  @Test func anAnswerLabelledGzipThatIsNotGzipIsAnError() async throws {
    let hub = try ScriptedHub(connections: 1) { _ in
      Self.answer("200 OK", Self.pushResult, fields: "Content-Encoding: gzip\r\n")
    }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    do {
      let result = try await client.push([])
      Issue.record("an answer labelled gzip but plain was accepted: \(result)")
    } catch let error as AgentError {
      #expect(error.description.contains("gzip answer that cannot be read"), "\(error)")
    }
  }

  @Test func aMalformedGzipAnswerIsAnErrorNotACrash() async throws {
    var bytes = Gzip.compress(Self.pushResult)
    bytes[bytes.count - 5] ^= 0xFF
    let corrupted = bytes
    let hub = try ScriptedHub(connections: 1) { _ in Self.answer("200 OK", corrupted, fields: "Content-Encoding: gzip\r\n") }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    await #expect(throws: AgentError.self) { try await client.push([]) }
  }

  @Test func anAnswerInACodingRenkeiDoesNotReadIsAnError() async throws {
    let hub = try ScriptedHub(connections: 1) { _ in Self.answer("200 OK", [1, 2, 3], fields: "Content-Encoding: br\r\n") }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5)
    do {
      _ = try await client.push([])
      Issue.record("a br-coded answer was accepted")
    } catch let error as AgentError {
      #expect(error.description.contains("content coding"), "\(error)")
    }
  }

  @Test func aCodedAnswerIsHeldToTheLimitOnceDecodedToo() async throws {
    // 300 bytes on the wire that decode to 5,000: within the limit as sent, past it decoded.
    let padded = Array(repeating: UInt8(ascii: " "), count: 5_000 - Self.pushResult.count) + Self.pushResult
    let hub = try ScriptedHub(connections: 2) { _ in
      Self.answer("200 OK", Gzip.compress(padded), fields: "Content-Encoding: gzip\r\n")
    }
    let url = URL(string: "http://127.0.0.1:\(hub.port)")!
    do {
      _ = try await HubClient(hub: url, token: "t", timeout: 5, answerLimit: 1_000).push([])
      Issue.record("an answer that decodes past the limit was accepted")
    } catch let error as AgentError {
      #expect(error.description.contains("more than the limit of 1000 bytes"), "\(error)")
    }
    // The same answer within a limit it fits.
    #expect(try await HubClient(hub: url, token: "t", timeout: 5, answerLimit: 5_000).push([]).applied == 1)
  }

  @Test func anAnswerIsHeldToTheLimitAsSent() async throws {
    let hub = try ScriptedHub(connections: 1) { _ in Self.answer("200 OK", Self.pushResult) }
    let client = HubClient(hub: URL(string: "http://127.0.0.1:\(hub.port)")!, token: "t", timeout: 5, answerLimit: 10)
    do {
      _ = try await client.push([])
      Issue.record("an answer past the limit was accepted")
    } catch let error as AgentError {
      #expect(error.description.contains("larger than 10 bytes"), "\(error)")
    }
  }
}
