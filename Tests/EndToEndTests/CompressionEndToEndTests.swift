import Foundation
import RenkeiCompression
import RenkeiCore
import Testing

/// A real agent syncing with a real hub through a counting proxy: the push goes gzip-coded,
/// the pull answer comes gzip-coded, and what arrives is what was written.
@Suite struct CompressionEndToEndTests {
  @Test func aSyncIsGzipCodedBothWays() throws {
    let setup = try SyncEndToEndTests.Setup()
    let hubPort = try #require(Int(setup.hub.url.split(separator: ":").last ?? ""))
    let proxy = try ReliabilityProxy(upstreamPort: hubPort)
    defer { proxy.stop() }
    let writer = setup.root + "/gunma"
    let reader = setup.root + "/kanto-reader"
    let writerToken = try setup.hub.addSite("gunma", role: "prefecture", scope: "10")
    let readerToken = try setup.hub.addSite("kanto-reader", role: "bureau", scope: "kanto-shinetsu")
    try setup.renkei(["--dir", writer, "init", "--site", "gunma", "--hub", proxy.url, "--token-file", writerToken, "--scope", "10"])
    try setup.renkei(
      ["--dir", reader, "init", "--site", "kanto-reader", "--hub", proxy.url, "--token-file", readerToken, "--scope", "kanto-shinetsu"])
    let count = 30
    for index in 0..<count {
      try setup.renkei([
        "--dir", writer, "event", "add", "--title", "介護人材確保セミナー 第\(index)回", "--kind", "seminar", "--starts-on", "2023-07-07",
        "--venue", "前橋市総合福祉会館",
      ])
    }

    let pushed = try setup.renkei(["--dir", writer, "sync"])
    #expect(pushed.contains("pushed \(count)"), "\(pushed)")
    let pushes = proxy.takeCapturedPushes()
    #expect(!pushes.isEmpty)
    var changes = 0
    for request in pushes {
      let end = try #require(request.indices.dropLast(3).first { request[$0...($0 + 3)].elementsEqual([13, 10, 13, 10]) })
      let head = String(decoding: request[..<end], as: UTF8.self).lowercased()
      #expect(head.contains("\r\ncontent-encoding: gzip"), "\(head)")
      let body = Array(request[(end + 4)...])
      #expect(body.starts(with: [0x1F, 0x8B]))
      let json = try Gzip.decompress(body, limit: 1 << 24)
      #expect(json.count > body.count * 3, "JSON \(json.count) bytes sent as \(body.count)")
      changes += try JSONDecoder().decode(PushRequest.self, from: Data(json)).changes.count
    }
    #expect(changes == count)

    proxy.arm(nil)
    try setup.renkei(["--dir", reader, "sync"])
    let received = proxy.counted.response
    // The same feed, asked for without Accept-Encoding, comes plain.
    let token = try String(contentsOfFile: readerToken, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let plain = try RawHTTP.exchange(port: hubPort, RawHTTP.request("GET", "/v1/pull?after=0&limit=1000", token: token))
    #expect(plain.status == 200)
    #expect(try JSONDecoder().decode(PullPage.self, from: Data(plain.body)).entries.count >= count)
    #expect(received * 3 < plain.body.count, "the reader's whole sync took \(received) bytes; the plain page alone is \(plain.body.count)")
    let listed = try setup.renkei(["--dir", reader, "event", "list", "--json"])
    #expect(listed.components(separatedBy: "介護人材確保セミナー").count - 1 == count)
  }
}
