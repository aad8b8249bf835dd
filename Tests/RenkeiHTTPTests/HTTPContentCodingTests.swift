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
      // `*` also gives identity its weight (RFC 9110 §12.5.3).
      (["gzip;q=0.5, *"], false),
      (["gzip, *;q=0.5"], true),
      (["gzip;q=0.5, *, identity;q=0.1"], true),
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
    for encoding in ["gzip", "GZIP", "x-gzip", "identity, gzip", "gzip, identity", ", gzip,", "gzip, , identity"] {
      let body = Gzip.compress(json)
      let decoded = try HTTPContentCoding.decodingContent(of: push(body: body, encoding: encoding), limit: 1000)
      #expect(decoded.body == json, "\(encoding)")
      #expect(decoded.headers["Content-Encoding"] == nil)
    }
    let plain = push(body: json, encoding: nil)
    #expect(try HTTPContentCoding.decodingContent(of: plain, limit: 1000) == plain)
    for encoding in ["identity", "", " , "] {
      let decoded = try HTTPContentCoding.decodingContent(of: push(body: json, encoding: encoding), limit: 1000)
      #expect(decoded.body == json, "\(encoding)")
    }
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

  @Test func gzipAppliedMoreThanOnceIsRefusedWith415() throws {
    // Each layer could expand to the limit again: 200 layers would cost 200 decodings.
    var body = Array(#"{"changes":[]}"#.utf8)
    for _ in 0..<200 { body = Gzip.compress(body) }
    for encoding in ["gzip, gzip", "gzip, x-gzip", Array(repeating: "gzip", count: 200).joined(separator: ", ")] {
      let error = try #require(refusal(push(body: body, encoding: encoding), limit: 100_000), "\(encoding.prefix(20))")
      #expect(error.status == .unsupportedMediaType)
      #expect(error.code == "unsupported-content-encoding")
    }
    var twoFields = push(body: Gzip.compress(Gzip.compress(Array("{}".utf8))), encoding: "gzip")
    twoFields.headers.add(name: "Content-Encoding", value: "gzip")
    #expect(refusal(twoFields)?.status == .unsupportedMediaType)
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

  @Test func aServerCanLeaveDecodingToItsHandler() throws {
    let seen = Mutex<[(coding: String?, count: Int)]>([])
    let server = HTTPServer(configuration: .init(maxBodyBytes: 100_000, decodesRequestContent: false)) { request in
      seen.withLock { $0.append((request.headers["Content-Encoding"], request.body.count)) }
      guard request.headers["Authorization"] == "yes" else { return HTTPError(.unauthorized, message: "no").response }
      do throws(HTTPError) {
        return HTTPResponse(body: try request.decodingContent().body)
      } catch {
        return HTTPContentCoding.refusal(error)
      }
    }
    try server.start()
    defer { server.stop() }
    let client = try LoopbackClient(port: try #require(server.boundPort))
    func post(_ body: [UInt8], _ fields: String) -> LoopbackClient.Response? {
      client.send("POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: \(body.count)\r\n\(fields)\r\n")
      client.send(body)
      return client.readResponse()
    }
    let json = Array(#"{"changes":[]}"#.utf8)
    let coded = Gzip.compress(json)
    let bomb = Gzip.compress([UInt8](repeating: 0, count: 1_000_000))

    // Refused by the handler before decoding: the handler saw the content as sent.
    #expect(post(bomb, "Content-Encoding: gzip\r\n")?.status == 401)
    #expect(seen.withLock { $0.last?.count } == bomb.count)
    #expect(seen.withLock { $0.last?.coding } == "gzip")

    let decoded = try #require(post(coded, "Content-Encoding: gzip\r\nAuthorization: yes\r\n"))
    #expect(decoded.status == 200)
    #expect(decoded.body == json)
    #expect(post(json, "Content-Encoding: gzip\r\nAuthorization: yes\r\n")?.status == 400)
    // The limit is the server's body limit, not the default.
    let tooLarge = try #require(post(bomb, "Content-Encoding: gzip\r\nAuthorization: yes\r\n"))
    #expect(tooLarge.status == 413)
    #expect(tooLarge.headers["Connection"] == "close")

    // An unknown or stacked coding is refused by the server before the handler.
    let handled = seen.withLock { $0.count }
    let other = try LoopbackClient(port: try #require(server.boundPort))
    other.send("POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: 3\r\nContent-Encoding: gzip, gzip\r\n\r\nabc")
    #expect(other.readResponse()?.status == 415)
    #expect(seen.withLock { $0.count } == handled)
  }

  @Test func headAndNoContentAnswersToAGzipClientCarryNoContent() throws {
    let large = Array(String(repeating: #"{"origin":"pref-11","sequence":1},"#, count: 100).utf8)
    let server = HTTPServer(configuration: .init()) { request in
      request.path == "/empty" ? HTTPResponse(status: .noContent) : HTTPResponse(body: large)
    }
    try server.start()
    defer { server.stop() }
    let client = try LoopbackClient(port: try #require(server.boundPort))
    let fields = "Host: hub\r\nAccept-Encoding: gzip\r\n\r\n"

    client.send("GET /large HTTP/1.1\r\n" + fields)
    let get = try #require(client.readResponse())
    #expect(get.headers["Content-Encoding"] == "gzip")
    #expect(get.headers["Content-Length"] == String(get.body.count))

    client.send("HEAD /large HTTP/1.1\r\n" + fields)
    let head = try #require(client.readResponse(hasBody: false))
    #expect(head.status == 200)
    #expect(head.headers["Content-Encoding"] == "gzip")
    // The length GET sends, while no content follows: the next answer starts right after.
    #expect(head.headers["Content-Length"] == String(get.body.count))

    client.send("GET /empty HTTP/1.1\r\n" + fields)
    let empty = try #require(client.readResponse())
    #expect(empty.status == 204)
    #expect(empty.headers["Content-Encoding"] == nil)
    #expect(empty.headers["Content-Length"] == nil)
    #expect(empty.body.isEmpty)

    client.send("GET /large HTTP/1.1\r\n" + fields)
    let last = try #require(client.readResponse())
    #expect(last.status == 200)
    #expect(try Gzip.decompress(last.body, limit: 1 << 20) == large)
    #expect(client.unreadByteCount == 0)
  }
}
