import RenkeiCompression
import RenkeiTestSupport
import Synchronization
import Testing

@testable import RenkeiHTTP

@Suite struct HTTPContentCodingTests {
  // MARK: Accept-Encoding

  @Test(
    arguments: [
      ([], false),
      ([""], false),
      (["gzip"], true),
      (["GZip"], true),
      (["x-gzip"], true),
      (["*"], true),
      (["gzip;q=0"], false),
      (["gzip; q=0.000"], false),
      (["gzip;q=0.001"], true),
      (["*;q=0"], false),
      (["*, gzip;q=0"], false),
      (["gzip;q=0, *"], false),
      (["deflate, br"], false),
      (["identity"], false),
      (["gzip;q=0.5, identity"], false),
      (["gzip, identity;q=0.5"], true),
      (["gzip;q=1.0, identity;q=1"], true),
      (["identity;q=0, gzip"], true),
      (["br", "gzip;q=0.8"], true),
      (["gzip;q=2"], false),
      (["gzip;q=1.5"], false),
      (["gzip;q=0.1234"], false),
      (["gzip;level=9"], false),
      (["gzip;q=0, gzip;q=0.5"], true),
    ] as [([String], Bool)])
  func acceptEncodingWeighsGzipAgainstIdentity(fields: [String], prefersGzip: Bool) {
    #expect(HTTPAcceptEncoding(fields).prefersGzip == prefersGzip, "\(fields)")
  }

  // MARK: Responses

  private func request(acceptEncoding: String?) -> HTTPRequest {
    var headers: HTTPHeaders = ["Host": "hub"]
    if let acceptEncoding { headers.add(name: "Accept-Encoding", value: acceptEncoding) }
    return HTTPRequest(method: .get, target: "/v1/pull", headers: headers)!
  }

  private let largeJSON = HTTPResponse(
    status: .ok, headers: ["Content-Type": "application/json"],
    body: Array(String(repeating: #"{"origin":"pref-11","sequence":1},"#, count: 100).utf8))

  @Test func aLargeResponseIsGzipCodedWhenAccepted() throws {
    let coded = HTTPContentCoding.encodingContent(of: largeJSON, for: request(acceptEncoding: "gzip"), threshold: 1024)
    #expect(coded.headers["Content-Encoding"] == "gzip")
    #expect(coded.headers["Vary"] == "Accept-Encoding")
    #expect(coded.headers["Content-Type"] == "application/json")
    #expect(coded.body.count < largeJSON.body.count / 5)
    #expect(try Gzip.decompress(coded.body, limit: 1 << 20) == largeJSON.body)
  }

  @Test func aResponseIsLeftPlainWhenGzipIsNotAccepted() {
    for field in [nil, "identity", "gzip;q=0", "br"] {
      let plain = HTTPContentCoding.encodingContent(of: largeJSON, for: request(acceptEncoding: field), threshold: 1024)
      #expect(plain.body == largeJSON.body)
      #expect(plain.headers["Content-Encoding"] == nil)
      // The choice still depended on the field.
      #expect(plain.headers["Vary"] == "Accept-Encoding")
    }
  }

  @Test func smallResponsesAndOnesWithoutContentAreLeftAlone() {
    let small = HTTPResponse.text("ok")
    #expect(HTTPContentCoding.encodingContent(of: small, for: request(acceptEncoding: "gzip"), threshold: 1024) == small)
    var notModified = largeJSON
    notModified.status = HTTPStatus(code: 304)
    #expect(
      HTTPContentCoding.encodingContent(of: notModified, for: request(acceptEncoding: "gzip"), threshold: 1024)
        == notModified)
    var alreadyCoded = largeJSON
    alreadyCoded.headers["Content-Encoding"] = "br"
    #expect(
      HTTPContentCoding.encodingContent(of: alreadyCoded, for: request(acceptEncoding: "gzip"), threshold: 1024)
        == alreadyCoded)
  }

  @Test func incompressibleContentIsSentPlain() {
    var generator = SplitMix64(seed: 4)
    let noise = HTTPResponse(body: (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    let result = HTTPContentCoding.encodingContent(of: noise, for: request(acceptEncoding: "gzip"), threshold: 1024)
    #expect(result.body == noise.body)
    #expect(result.headers["Content-Encoding"] == nil)
  }

  // MARK: Requests

  private func push(body: [UInt8], encoding: String?) -> HTTPRequest {
    var headers: HTTPHeaders = ["Host": "hub", "Content-Type": "application/json"]
    if let encoding { headers.add(name: "Content-Encoding", value: encoding) }
    return HTTPRequest(method: .post, target: "/v1/push", headers: headers, body: body)!
  }

  @Test func gzipContentIsDecodedAndTheFieldRemoved() throws {
    let json = Array(#"{"changes":[]}"#.utf8)
    for encoding in ["gzip", "GZIP", "x-gzip", "identity, gzip", "gzip, gzip"] {
      let body = encoding == "gzip, gzip" ? Gzip.compress(Gzip.compress(json)) : Gzip.compress(json)
      let decoded = try HTTPContentCoding.decodingContent(of: push(body: body, encoding: encoding), limit: 1000)
      #expect(decoded.body == json, "\(encoding)")
      #expect(decoded.headers["Content-Encoding"] == nil)
    }
    let plain = push(body: json, encoding: nil)
    #expect(try HTTPContentCoding.decodingContent(of: plain, limit: 1000) == plain)
  }

  private func refusal(_ request: HTTPRequest, limit: Int = 1000) -> HTTPError? {
    do {
      _ = try HTTPContentCoding.decodingContent(of: request, limit: limit)
      return nil
    } catch {
      return error
    }
  }

  @Test func anUnknownCodingIsRefusedWith415SayingWhatIsAccepted() throws {
    for encoding in ["br", "deflate", "compress", "gzip, br", "zstd"] {
      let error = try #require(refusal(push(body: [1, 2, 3], encoding: encoding)))
      #expect(error.status == .unsupportedMediaType)
      #expect(error.code == "unsupported-content-encoding")
      #expect(HTTPContentCoding.refusal(error).headers["Accept-Encoding"] == "gzip")
    }
  }

  @Test func malformedGzipIsRefusedWith400() throws {
    var corrupted = Gzip.compress(Array(#"{"changes":[]}"#.utf8))
    corrupted[corrupted.count - 6] ^= 0xFF
    for body in [Array(#"{"changes":[]}"#.utf8), corrupted, Array(corrupted.prefix(12)), []] {
      let error = try #require(refusal(push(body: body, encoding: "gzip")))
      #expect(error.status == .badRequest)
      #expect(error.code == "malformed-gzip")
    }
  }

  @Test func contentThatDecodesPastTheLimitIsRefusedWith413() throws {
    let bomb = Gzip.compress([UInt8](repeating: 0x20, count: 5_000_000))
    let error = try #require(refusal(push(body: bomb, encoding: "gzip"), limit: 1_000_000))
    #expect(error.status == .contentTooLarge)
  }

  // MARK: Over a socket

  @Test func theServerDecodesRequestsAndCodesResponses() throws {
    let handled = Mutex(0)
    let server = HTTPServer(configuration: .init(maxBodyBytes: 100_000)) { request in
      handled.withLock { $0 += 1 }
      // Echo the content many times over: a response large enough to be coded.
      return HTTPResponse(body: Array(repeating: request.body, count: 50).flatMap { $0 })
    }
    try server.start()
    defer { server.stop() }
    let client = try LoopbackClient(port: try #require(server.boundPort))
    let json = Array(#"{"changes":[{"origin":"pref-11","sequence":1}]}"#.utf8)
    func post(_ body: [UInt8], _ fields: String) -> LoopbackClient.Response? {
      client.send("POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: \(body.count)\r\n\(fields)\r\n")
      client.send(body)
      return client.readResponse()
    }

    let coded = try #require(post(Gzip.compress(json), "Content-Encoding: gzip\r\nAccept-Encoding: gzip\r\n"))
    #expect(coded.status == 200)
    #expect(coded.headers["Content-Encoding"] == "gzip")
    #expect(coded.headers["Vary"] == "Accept-Encoding")
    #expect(try Gzip.decompress(coded.body, limit: 100_000) == Array(repeating: json, count: 50).flatMap { $0 })

    let plain = try #require(post(Gzip.compress(json), "Content-Encoding: gzip\r\n"))
    #expect(plain.headers["Content-Encoding"] == nil)
    #expect(plain.body == Array(repeating: json, count: 50).flatMap { $0 })
    #expect(handled.withLock { $0 } == 2)

    let unknown = try #require(post(json, "Content-Encoding: br\r\n"))
    #expect(unknown.status == 415)
    #expect(unknown.headers["Accept-Encoding"] == "gzip")
    #expect(unknown.text.contains("unsupported-content-encoding"))

    let malformed = try #require(post(json, "Content-Encoding: gzip\r\n"))
    #expect(malformed.status == 400)

    let bomb = try #require(post(Gzip.compress([UInt8](repeating: 0, count: 1_000_000)), "Content-Encoding: gzip\r\n"))
    #expect(bomb.headers["Connection"] == "close")
    #expect(bomb.status == 413)
    // None of the refused requests reached the handler.
    #expect(handled.withLock { $0 } == 2)
  }
}
