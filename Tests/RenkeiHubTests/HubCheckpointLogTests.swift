import Foundation
import RenkeiHTTP
import RenkeiHub
@testable import RenkeiStore
import Synchronization
import Testing

/// The hub copies its WAL back into its file on a queue of its own. When that fails, the
/// service's log says so once (the IT person would otherwise see only the WAL grow), and
/// says again when it works.
@Suite struct HubCheckpointLogTests {
  final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    func count(_ text: String) -> Int { lines.withLock { $0.filter { $0.contains(text) }.count } }
  }

  static let warning = "warning: the hub database's WAL could not be copied back into its file"
  static let recovered = "the hub database's WAL is copied back into its file again"

  @Test func aFailingCheckpointIsLoggedOnceAndItsRecoveryToo() throws {
    let scratch = try ScratchHubFile("checkpoint")
    defer { scratch.remove() }
    let hub = try Hub(path: scratch.path)
    let checkpointer = try #require(hub.database.backgroundCheckpointer)
    let log = LogLines()
    let service = HubService(hub: hub, log: log.append)
    let health = try #require(HTTPRequest(method: .get, target: "/v1/health"))

    #expect(service.respond(to: health).status.code == 200)
    #expect(log.count(Self.warning) == 0)

    checkpointer.override(.failQueued(SQLiteError.ioerr))
    checkpointer.checkpointNow()
    for _ in 0..<3 { #expect(service.respond(to: health).status.code == 200) }
    #expect(log.count(Self.warning) == 1)
    #expect(log.count("disk I/O error") == 1)
    #expect(log.count(Self.recovered) == 0)

    checkpointer.override(nil)
    checkpointer.checkpointNow()
    for _ in 0..<3 { #expect(service.respond(to: health).status.code == 200) }
    #expect(log.count(Self.warning) == 1)
    #expect(log.count(Self.recovered) == 1)
  }
}
