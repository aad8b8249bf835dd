import Foundation
import RenkeiTestSupport
import Testing

/// The hub's log lines carry their time wherever they go, except to the systemd journal,
/// which stamps each line itself.
@Suite struct HubLogTests {
  /// Serves one request and stops, with the log written to a file; returns the log's lines.
  func logLines(journalStreamNamesTheFile: Bool) throws -> [String] {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-log-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let path = root + "/hub.log"
    try #require(FileManager.default.createFile(atPath: path, contents: nil))
    var status = stat()
    try #require(stat(path, &status) == 0)
    // systemd names the journal's stream this way; a stream it does not name is a file.
    let stream = "\(status.st_dev):\(journalStreamNamesTheFile ? status.st_ino : 0)"
    // The hub writes to this very file, so its device and inode stay these.
    let hub = try HubProcess(directory: root + "/hub", logPath: path, environment: ["JOURNAL_STREAM": stream])
    let port = try #require(Int(hub.url.split(separator: ":").last ?? ""))
    let client = try LoopbackClient(port: port)
    client.send(Array("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    #expect(client.readResponse()?.status == 200)
    #expect(hub.stop() == 0)
    return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  @Test func outsideTheJournalEveryLineBeginsWithItsTime() throws {
    let lines = try logLines(journalStreamNamesTheFile: false)
    #expect(lines.contains { $0.contains("GET /v1/health 200") } && lines.last?.hasSuffix("renkei-hub: stopped") == true, "\(lines)")
    let stamp = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z) "#)
    #expect(lines.allSatisfy { $0.firstMatch(of: stamp) != nil }, "\(lines)")
  }

  @Test func inTheJournalLinesAreWrittenAsTheyAre() throws {
    let lines = try logLines(journalStreamNamesTheFile: true)
    #expect(lines.contains { $0.hasPrefix("GET /v1/health 200") } && lines.last == "renkei-hub: stopped", "\(lines)")
  }
}
