import Foundation
import RenkeiCompression
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiTestSupport
import Testing

/// The hub's API with gzip content coding, over the same loopback fixture as the rest of
/// the service tests: a coded push is the same push, a refused one stores nothing, and a
/// coded pull answer is the same page.
extension HubServiceTests {
  private func codedPush(_ hub: TestHub, _ body: [UInt8], encoding: String = "gzip", as site: String = "saitama") throws
    -> LoopbackClient.Response
  {
    try hub.request(
      "POST", "/v1/push", authorization: "Bearer \(hub.token(site).text)", contentType: "application/json", body: body,
      fields: [("Content-Encoding", encoding)])
  }

  @Test func aGzipPushIsAppliedExactlyLikeAPlainOne() throws {
    let saitama = try replica("saitama", "11")
    for title in ["認知症セミナー", "在宅医療研修", "事例検討会"] { try saitama.create(.event, fields: event("11", title)) }
    let changes = try saitama.pendingChanges()
    var plainOutcome: (PushResult, Counts, [FeedEntry])?
    try withHub { hub in
      let response = try hub.push(changes, as: "saitama")
      #expect(response.status == 200, "\(response.text)")
      plainOutcome = (try response.decode(PushResult.self), try hub.counts(), try hub.pull(as: "saitama").entries)
    }
    try withHub { hub in
      let response = try codedPush(hub, Gzip.compress(Self.pushBody(changes)))
      #expect(response.status == 200, "\(response.text)")
      let outcome = (try response.decode(PushResult.self), try hub.counts(), try hub.pull(as: "saitama").entries)
      #expect(outcome.0 == plainOutcome?.0)
      #expect(outcome.1 == plainOutcome?.1)
      #expect(outcome.2 == plainOutcome?.2)
      // The same push again, plain this time: already seen, as a plain replay would be.
      let again = try hub.push(changes, as: "saitama")
      #expect(try again.decode(PushResult.self) == PushResult(acknowledgedSequence: 3, applied: 0, conflicts: []))
      #expect(try hub.counts() == outcome.1)
    }
  }

  @Test(arguments: ["br", "deflate", "zstd", "gzip, br"])
  func aPushInAnUnknownCodingIs415AndStoresNothing(encoding: String) throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let response = try codedPush(hub, Gzip.compress(Self.pushBody(try saitama.pendingChanges())), encoding: encoding)
      expectError(response, 415, "unsupported-content-encoding")
      #expect(response.headers["Accept-Encoding"] == "gzip")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aMalformedGzipPushIs400AndStoresNothing() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let body = Self.pushBody(try saitama.pendingChanges())
      var corrupted = Gzip.compress(body)
      corrupted[corrupted.count - 7] ^= 0x40
      for malformed in [body, corrupted, Array(corrupted.dropLast(3)), Gzip.compress(body) + [0]] {
        expectError(try codedPush(hub, malformed), 400, "malformed-gzip")
      }
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aGzipPushThatDecodesPastTheBodyLimitIs413AndStoresNothing() throws {
    try withHub(maxBodyBytes: 100_000) { hub in
      // 200 KB of JSON whitespace around an empty push: small coded, too large decoded.
      let bomb = Gzip.compress(Array((String(repeating: " ", count: 200_000) + #"{"changes":[]}"#).utf8))
      #expect(bomb.count < 1_000)
      expectError(try codedPush(hub, bomb), 413, "content-too-large")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func gzipContentIsDecodedOnlyForALiveTokenOnAKnownRoute() throws {
    try withHub(maxBodyBytes: 100_000) { hub in
      // Were these decoded, they would be answered 413 and 400; unread, they cost nothing.
      let bomb = Gzip.compress(Array((String(repeating: " ", count: 200_000) + #"{"changes":[]}"#).utf8))
      let notGzip = Array(#"{"changes":[]}"#.utf8)
      for body in [bomb, notGzip] {
        for authorization in [nil, "Bearer rk_not-a-token", "Basic c2FpdGFtYQ=="] {
          let response = try hub.request(
            "POST", "/v1/push", authorization: authorization, contentType: "application/json", body: body,
            fields: [("Content-Encoding", "gzip")])
          expectError(response, 401, "unauthorized")
        }
        let authorization = "Bearer \(hub.token("saitama").text)"
        let elsewhere = try hub.request(
          "POST", "/v1/nowhere", authorization: authorization, contentType: "application/json", body: body,
          fields: [("Content-Encoding", "gzip")])
        expectError(elsewhere, 404, "not-found")
        let wrongMethod = try hub.request(
          "POST", "/v1/pull", authorization: authorization, contentType: "application/json", body: body,
          fields: [("Content-Encoding", "gzip")])
        #expect(wrongMethod.status == 405)
      }
      // With a live token the same bodies are decoded, and refused as they deserve.
      expectError(try codedPush(hub, bomb), 413, "content-too-large")
      expectError(try codedPush(hub, notGzip), 400, "malformed-gzip")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aGzipPullAnswerDecodesToTheSamePage() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      for index in 0..<20 { try saitama.create(.event, fields: event("11", "地域包括ケア推進会議 第\(index)回")) }
      #expect(try hub.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      let authorization = "Bearer \(hub.token("saitama").text)"
      let plain = try hub.request("GET", "/v1/pull?after=0&limit=100", authorization: authorization)
      let coded = try hub.request(
        "GET", "/v1/pull?after=0&limit=100", authorization: authorization, fields: [("Accept-Encoding", "gzip, deflate")])
      #expect(plain.status == 200 && coded.status == 200)
      #expect(plain.headers["Content-Encoding"] == nil)
      #expect(coded.headers["Content-Encoding"] == "gzip")
      #expect(coded.headers["Vary"] == "Accept-Encoding")
      #expect(coded.body.count * 4 < plain.body.count, "\(coded.body.count) coded, \(plain.body.count) plain")
      #expect(try Gzip.decompress(coded.body, limit: 1 << 24) == plain.body)
      #expect(try JSONDecoder().decode(PullPage.self, from: Data(plain.body)).entries.count == 20)

      let refused = try hub.request(
        "GET", "/v1/pull?after=0&limit=100", authorization: authorization, fields: [("Accept-Encoding", "gzip;q=0")])
      #expect(refused.headers["Content-Encoding"] == nil)
      #expect(refused.body == plain.body)
    }
  }
}
