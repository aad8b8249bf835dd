import Foundation
import RenkeiTestSupport
import Testing

/// `renkei-hub serve --listen` with an IPv6 address, and agents whose hub URL is one.
@Suite struct HubIPv6Tests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-ipv6-\(UUID().uuidString)").path

  func renkei(_ arguments: String...) throws -> ProcessResult {
    let result = try ProcessRunner.run("renkei", arguments)
    #expect(result.status == 0, "renkei \(arguments.joined(separator: " ")): \(result.stderr)")
    return result
  }

  /// A hub on `[::1]`, two agents with `http://[::1]:PORT/`: an event added on one reaches
  /// the other through the hub.
  @Test(.enabled(if: IPv6Loopback.isAvailable, Comment(rawValue: IPv6Loopback.missingReason)))
  func agentsSyncThroughAHubOnTheIPv6Loopback() throws {
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let hub = try HubProcess(directory: root + "/hub", listen: "[::1]:0", logPath: root + "/hub.log")
    #expect(hub.url.hasPrefix("http://[::1]:"), "\(hub.url)")
    let url = hub.url + "/"
    let saitama = try hub.addSite("saitama", role: "prefecture", scope: "11")
    let kanto = try hub.addSite("kanto", role: "bureau", scope: "kanto-shinetsu")
    _ = try renkei("--dir", root + "/saitama", "init", "--site", "saitama", "--hub", url, "--token-file", saitama, "--author", "田中")
    _ = try renkei("--dir", root + "/kanto", "init", "--site", "kanto", "--hub", url, "--token-file", kanto, "--author", "佐藤")
    let id = try renkei(
      "--dir", root + "/saitama", "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-07-12"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try renkei("--dir", root + "/saitama", "sync")
    _ = try renkei("--dir", root + "/kanto", "sync")
    let listed = try renkei("--dir", root + "/kanto", "event", "list", "--json").stdout
    #expect(listed.contains(id), "\(listed)")
    #expect(listed.contains("地域ケア会議"), "\(listed)")
    #expect(hub.stop() == 0)
    let log = try String(contentsOfFile: root + "/hub.log", encoding: .utf8)
    #expect(log.contains("POST /v1/push 200 saitama "), "\(log)")
    #expect(log.contains("GET /v1/pull 200 kanto "), "\(log)")
  }

  /// A malformed `--listen` is a usage error (64) that names what is wrong, and no hub
  /// starts: its directory is not even created.
  @Test(arguments: [
    ("::1:8443", "an IPv6 address goes in brackets"), ("[::1:8443", "the IPv6 address has no closing bracket"),
    ("[::1]:99999", "the port 99999 is not a number from 0 to 65535"), ("[::1]", "no port after the address"),
    ("[localhost]:8443", "localhost is not an IPv6 address"), ("127.0.0.1:http", "the port http is not a number"),
  ])
  func aMalformedListenAddressIsAUsageError(listen: String, reason: String) throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let result = try ProcessRunner.runExecutable(
      "/usr/bin/timeout", ["20", BinaryLocation.url(of: "renkei-hub").path, "--dir", root + "/hub", "serve", "--listen", listen])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains("--listen must be host:port, such as 127.0.0.1:8470 or [::1]:8470, not \(listen): \(reason)"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root + "/hub"))
  }
}
