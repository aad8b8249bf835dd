import Foundation
import Testing

/// HEAD through the built `renkei-hub`, as an operator's monitor or `curl -I` sends it.
@Suite struct HubHeadTests {
  /// `curl -I` then GET on one connection (curl reuses it): HEAD gets GET's status and
  /// length without content, the connection still serves the GET, and the hub's log names
  /// the HEAD as such.
  @Test func headIsAnsweredLikeGetAndLoggedAsHead() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-head-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let hub = try HubProcess(directory: root + "/hub", logPath: root + "/hub.log")
    let token = try String(contentsOfFile: try hub.addSite("kanto", role: "bureau", scope: "kanto-shinetsu"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)

    let result = try ProcessRunner.runExecutable(
      "/usr/bin/curl",
      [
        "--silent", "--show-error", "--max-time", "30", "--head", hub.url + "/v1/whoami", "-H", "Authorization: Bearer \(token)",
        "--next", "--silent", "--show-error", "--max-time", "30", "--include", hub.url + "/v1/whoami", "-H",
        "Authorization: Bearer \(token)", "--write-out", "connections opened: %{num_connects}\n",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let answers = result.stdout.components(separatedBy: "HTTP/1.1 ").dropFirst()
    #expect(answers.count == 2, "\(result.stdout)")
    let head = answers.first ?? ""
    let get = answers.dropFirst().first ?? ""
    #expect(head.hasPrefix("200 OK\r\n"), "\(head)")
    #expect(get.hasPrefix("200 OK\r\n"), "\(get)")
    let getContent = get.components(separatedBy: "\r\n\r\n").dropFirst().first?.components(separatedBy: "connections opened").first ?? ""
    #expect(getContent.contains(#""site":"kanto""#), "\(get)")
    #expect(head.contains("Content-Length: \(getContent.utf8.count)\r\n"), "HEAD: \(head) GET content: \(getContent)")
    // HEAD's answer ends with its head; curl reads the GET's answer from the same connection.
    #expect(head.hasSuffix("\r\n\r\n"), "\(head)")
    #expect(result.stdout.contains("connections opened: 0"), "\(result.stdout)")

    #expect(hub.stop() == 0)
    let log = try String(contentsOfFile: root + "/hub.log", encoding: .utf8)
    #expect(log.contains("HEAD /v1/whoami 200 kanto "), "\(log)")
    #expect(log.contains("GET /v1/whoami 200 kanto "), "\(log)")
  }
}
