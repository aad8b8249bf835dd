import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import RenkeiTestSupport
import Synchronization
import Testing

/// The hub copies its WAL back into its file on a queue of its own. When that fails, the
/// server's log says so once (the IT person would otherwise only see the WAL grow), and says
/// again when it works.
@Suite struct HubCheckpointLogTests {
  final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }
    func count(_ text: String) -> Int { lines.withLock { $0.filter { $0.contains(text) }.count } }
  }

  static let warning = "WAL could not be copied back into its file"
  static let recovered = "WAL is copied back into its file again"

  @Test func aFailingCheckpointIsLoggedOnceAndItsRecoveryToo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-checkpoint-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = HubServer.databasePath(in: directory)
    let token: AccessToken
    do {
      let registry = try Hub(path: path)
      token = try registry.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
      registry.database.close()
    }
    let log = LogLines()
    let server = try HubServer(
      directory: directory, configuration: .init(host: "127.0.0.1", port: 0, headerReadTimeout: .seconds(10)), log: log.append)
    try server.start()
    defer { server.stop() }
    let port = try #require(server.port)
    let saitama = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "埼玉県")

    // The queue's connection opens the file by its path on its first checkpoint: with the
    // file moved away, it cannot. The server's own connection keeps working. 2,000 creates
    // fill the WAL past the 1,000 pages at which the queue is asked to checkpoint.
    try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
    try pushEvents(2_000, from: saitama, token: token, port: port)
    try waitForLog(containing: Self.warning, in: log, port: port)
    #expect(log.count(Self.warning) == 1)
    #expect(!log.contains(Self.recovered))

    try FileManager.default.moveItem(atPath: path + ".moved", toPath: path)
    try pushEvents(500, from: saitama, token: token, port: port)
    try waitForLog(containing: Self.recovered, in: log, port: port)
    #expect(log.count(Self.warning) == 1)
    #expect(log.count(Self.recovered) == 1)

    server.stop()
    let hub = try Hub(path: path)
    #expect(try hub.allRecords().count == 2_500)
    #expect(try hub.database.integrityCheck() == ["ok"])
    hub.database.close()
  }

  /// Creates `count` events at `replica` and pushes them, 500 a request.
  func pushEvents(_ count: Int, from replica: Replica, token: AccessToken, port: Int) throws {
    for index in 0..<count {
      try replica.create(
        .event,
        fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .text("研修 \(index)"), "starts_on": .string("2023-07-06")])
    }
    while case let pending = try replica.pendingChanges(limit: 500), !pending.isEmpty {
      let body = Array(try JSONEncoder().encode(PushRequest(changes: pending)))
      let response = try send("POST", "/v1/push", token: token, body: body, port: port)
      try #require(response.status == 200, "\(response.text)")
      try replica.acknowledge(through: try response.decode(PushResult.self).acknowledgedSequence)
    }
  }

  /// Asks the hub's health until its log holds `text` (each answer checks the queue's
  /// state), for at most a minute: the queue checkpoints beside the requests.
  func waitForLog(containing text: String, in log: LogLines, port: Int) throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !log.contains(text) && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.05)
      _ = try send("GET", "/v1/health", token: nil, body: [], port: port)
    }
    #expect(log.contains(text), "the hub's log never said «\(text)»")
  }

  func send(_ method: String, _ target: String, token: AccessToken?, body: [UInt8], port: Int) throws -> LoopbackClient.Response {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if let token { head += "Authorization: Bearer \(token.text)\r\n" }
    if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
    let client = try LoopbackClient(port: port)
    client.send(Array((head + "\r\n").utf8) + body)
    return try #require(client.readResponse(), "no response from the hub")
  }
}
