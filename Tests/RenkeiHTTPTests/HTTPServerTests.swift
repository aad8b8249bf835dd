import RenkeiTestSupport
import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing

@testable import RenkeiHTTP

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The server over real loopback sockets. Timeouts are configured small; assertions on
/// time only say that something happened within a generous bound.
@Suite struct HTTPServerTests {
  /// Runs `body` against a started server on a free port, then stops it.
  private func withServer(
    _ configuration: HTTPServer.Configuration = HTTPServer.Configuration(),
    log: @escaping @Sendable (String) -> Void = { _ in },
    handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse = { .text("path=\($0.path)") },
    _ body: (HTTPServer, Int) throws -> Void
  ) throws {
    let server = HTTPServer(configuration: configuration, log: log, handler: handler)
    try server.start()
    defer { server.stop() }
    let port = try #require(server.boundPort)
    try body(server, port)
  }

  private func request(_ path: String, _ extra: String = "") -> String {
    "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)\r\n"
  }

  /// Waits, up to five seconds, until the server holds at most `count` connections: a
  /// closed client's connection ends on the server's side a moment later.
  private func waitForConnections(of server: HTTPServer, toFallTo count: Int) {
    let deadline = ContinuousClock.now + .seconds(5)
    while server.activeConnectionCount > count && ContinuousClock.now < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
  }

  @Test func startBindsAFreePort() throws {
    try withServer { server, port in
      #expect(port > 0 && port < 65_536)
      #expect(server.activeConnectionCount == 0)
    }
  }

  @Test func keepAliveServesTwoRequestsOnOneConnection() throws {
    try withServer { _, port in
      let client = try LoopbackClient(port: port)
      client.send(request("/one"))
      let first = try #require(client.readResponse())
      #expect(first.status == 200)
      #expect(first.text == "path=/one")
      #expect(first.headers["Connection"] == nil)
      #expect(first.headers["Date"]?.hasSuffix(" GMT") == true)
      client.send(request("/two"))
      let second = try #require(client.readResponse())
      #expect(second.text == "path=/two")
      #expect(!client.sawEndOfStream)
    }
  }

  @Test func pipelinedRequestsAreAnsweredInOrder() throws {
    try withServer { _, port in
      let client = try LoopbackClient(port: port)
      client.send(request("/a") + request("/b") + request("/c", "Connection: close\r\n"))
      #expect(client.readResponse()?.text == "path=/a")
      #expect(client.readResponse()?.text == "path=/b")
      let last = try #require(client.readResponse())
      #expect(last.text == "path=/c")
      #expect(last.headers["Connection"] == "close")
      #expect(client.waitForClose())
    }
  }

  @Test func postContentReachesTheHandler() throws {
    try withServer(handler: { .init(status: .created, body: $0.body.reversed()) }) { _, port in
      let client = try LoopbackClient(port: port)
      client.send("POST /push HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")
      let response = try #require(client.readResponse())
      #expect(response.status == 201)
      #expect(response.text == "cba")
    }
  }

  @Test func contentTooLargeIsAnsweredBeforeTheContentIsSent() throws {
    let called = Mutex(false)
    try withServer(handler: { _ in
      called.withLock { $0 = true }
      return .text("should not run")
    }) { _, port in
      let client = try LoopbackClient(port: port)
      client.send("POST /push HTTP/1.1\r\nHost: h\r\nContent-Length: 100000000\r\n\r\n")
      let response = try #require(client.readResponse())
      #expect(response.status == 413)
      #expect(response.headers["Connection"] == "close")
      #expect(response.text.contains(#""code":"content-too-large""#))
      #expect(client.waitForClose())
    }
    #expect(!called.withLock { $0 })
  }

  @Test func malformedRequestIsAnswered400AndClosed() throws {
    try withServer { _, port in
      let client = try LoopbackClient(port: port)
      client.send("GET / HTTP/1.1\nHost: h\n\n")
      let response = try #require(client.readResponse())
      #expect(response.status == 400)
      #expect(response.headers["Content-Type"] == "application/json")
      #expect(response.headers["Connection"] == "close")
      #expect(client.waitForClose())
    }
  }

  @Test func slowClientIsAnswered408AndClosedAfterTheHeaderTimeout() throws {
    var configuration = HTTPServer.Configuration()
    configuration.headerReadTimeout = .milliseconds(300)
    try withServer(configuration) { _, port in
      let client = try LoopbackClient(port: port)
      let started = ContinuousClock.now
      client.send("GET /slow HTTP/1.1\r\nHost: 127.0.")
      let response = try #require(client.readResponse(timeout: .seconds(5)))
      #expect(response.status == 408)
      #expect(response.headers["Connection"] == "close")
      #expect(client.waitForClose())
      #expect(ContinuousClock.now - started < .seconds(5))
    }
  }

  @Test func tricklingClientStillRunsOutOfTime() throws {
    var configuration = HTTPServer.Configuration()
    configuration.headerReadTimeout = .milliseconds(400)
    try withServer(configuration) { _, port in
      let client = try LoopbackClient(port: port)
      let started = ContinuousClock.now
      var status: Int?
      for byte in Array("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ".utf8) + [UInt8](repeating: 0x61, count: 200) {
        guard client.send([byte]) else { break }
        if let response = client.readResponse(timeout: .milliseconds(50)) {
          status = response.status
          break
        }
      }
      #expect(status == 408)
      #expect(ContinuousClock.now - started < .seconds(5))
    }
  }

  @Test func silentClientIsAnswered408() throws {
    var configuration = HTTPServer.Configuration()
    configuration.headerReadTimeout = .milliseconds(200)
    try withServer(configuration) { _, port in
      let client = try LoopbackClient(port: port)
      #expect(client.readResponse()?.status == 408)
      #expect(client.waitForClose())
    }
  }

  @Test func slowBodyIsAnswered408() throws {
    var configuration = HTTPServer.Configuration()
    configuration.bodyReadTimeout = .milliseconds(300)
    try withServer(configuration) { _, port in
      let client = try LoopbackClient(port: port)
      client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
      #expect(client.readResponse()?.status == 408)
      #expect(client.waitForClose())
    }
  }

  @Test func idleKeepAliveConnectionIsClosedQuietly() throws {
    var configuration = HTTPServer.Configuration()
    configuration.idleTimeout = .milliseconds(200)
    try withServer(configuration) { _, port in
      let client = try LoopbackClient(port: port)
      client.send(request("/"))
      #expect(client.readResponse()?.status == 200)
      #expect(client.waitForClose())
      #expect(client.readResponse(timeout: .milliseconds(10)) == nil)
    }
  }

  @Test func connectionCapIsEnforced() throws {
    var configuration = HTTPServer.Configuration()
    configuration.maxConnections = 2
    try withServer(configuration) { server, port in
      var first: LoopbackClient? = try LoopbackClient(port: port)
      let second = try LoopbackClient(port: port)
      for client in [first!, second] {
        client.send(request("/held"))
        #expect(client.readResponse()?.status == 200)
      }
      #expect(server.activeConnectionCount == 2)

      let third = try LoopbackClient(port: port)
      let refused = try #require(third.readResponse())
      #expect(refused.status == 503)
      #expect(refused.headers["Connection"] == "close")
      #expect(refused.headers["Retry-After"] == "1")
      #expect(third.waitForClose())

      first = nil
      waitForConnections(of: server, toFallTo: 1)
      let fourth = try LoopbackClient(port: port)
      fourth.send(request("/after"))
      #expect(fourth.readResponse()?.text == "path=/after")
    }
  }

  /// The operator learns from the log that the cap was reached, and when it was left with
  /// how many were refused, without a line per refused connection (a flood would fill it).
  @Test func reachingAndLeavingTheConnectionCapIsLoggedOnce() throws {
    var configuration = HTTPServer.Configuration()
    configuration.maxConnections = 1
    let messages = Mutex<[String]>([])
    try withServer(configuration, log: { message in messages.withLock { $0.append(message) } }) { server, port in
      var held: LoopbackClient? = try LoopbackClient(port: port)
      held!.send(request("/held"))
      #expect(held!.readResponse()?.status == 200)
      for _ in 0..<3 {
        let refused = try LoopbackClient(port: port)
        #expect(refused.readResponse()?.status == 503)
      }
      held = nil
      waitForConnections(of: server, toFallTo: 0)
      let after = try LoopbackClient(port: port)
      after.send(request("/after"))
      #expect(after.readResponse()?.status == 200)
    }
    let lines = messages.withLock { $0 }
    #expect(lines.filter { $0.contains("the most allowed (--max-connections)") }.count == 1, "\(lines)")
    #expect(lines.filter { $0.contains("below the cap again; 3 refused") }.count == 1, "\(lines)")
  }

  /// Slow heads hold connections only until the header timeout, so once they are freed an
  /// honest client that was refused at the cap is served.
  @Test func connectionsHeldBySlowHeadsAreFreedAtTheHeaderTimeout() throws {
    var configuration = HTTPServer.Configuration()
    configuration.maxConnections = 3
    configuration.headerReadTimeout = .milliseconds(500)
    try withServer(configuration) { server, port in
      let slow = try (0..<3).map { _ in try LoopbackClient(port: port) }
      for client in slow { client.send("GET /slow HTTP/1.1\r\nHost: h\r\nX-Slow: a") }
      let refused = try LoopbackClient(port: port)
      #expect(refused.readResponse()?.status == 503)
      for client in slow {
        #expect(client.readResponse()?.status == 408)
        #expect(client.waitForClose())
      }
      waitForConnections(of: server, toFallTo: 0)
      let honest = try LoopbackClient(port: port)
      honest.send(request("/sync"))
      #expect(honest.readResponse()?.text == "path=/sync")
    }
  }

  @Test func descriptorLimitIsRaisedToFitTheConnectionCap() throws {
    var limit = rlimit()
    try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    if limit.rlim_cur >= limit.rlim_max {
      // Nothing to raise: lower the soft limit by one descriptor first, which no test notices.
      limit.rlim_cur = limit.rlim_max - 1
      try #require(setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    }
    let soft = Int(clamping: limit.rlim_cur)
    // One connection more than the soft limit now allows, within the hard limit.
    let raised = HTTPServer.raiseDescriptorLimit(toServe: soft - HTTPServer.descriptorsBesideConnections + 1)
    #expect(raised == soft + 1)
    try #require(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
    #expect(Int(clamping: limit.rlim_cur) == soft + 1)
  }

  @Test func stopWaitsForAnInFlightHandlerAndItsResponseArrives() throws {
    let handlerStarted = DispatchSemaphore(value: 0)
    let handlerFinished = Mutex(false)
    let server = HTTPServer { request in
      guard request.path == "/slow" else { return .text("quick") }
      handlerStarted.signal()
      Thread.sleep(forTimeInterval: 0.4)
      handlerFinished.withLock { $0 = true }
      return .text("done")
    }
    try server.start()
    let port = try #require(server.boundPort)

    let idle = try LoopbackClient(port: port)
    idle.send(request("/quick"))
    #expect(idle.readResponse()?.text == "quick")

    let busy = try LoopbackClient(port: port)
    busy.send(request("/slow"))
    #expect(handlerStarted.wait(timeout: .now() + 5) == .success)

    let stopped = DispatchSemaphore(value: 0)
    let finishedWhenStopReturned = Mutex<Bool?>(nil)
    Thread {
      server.stop()
      finishedWhenStopReturned.withLock { $0 = handlerFinished.withLock { $0 } }
      stopped.signal()
    }.start()

    #expect(idle.waitForClose(), "stop closes idle connections")
    let response = try #require(busy.readResponse())
    #expect(response.status == 200)
    #expect(response.text == "done")
    #expect(response.headers["Connection"] == "close")
    #expect(busy.waitForClose())
    #expect(stopped.wait(timeout: .now() + 5) == .success)
    #expect(finishedWhenStopReturned.withLock { $0 } == true)
    #expect(throws: LoopbackClient.ConnectFailed.self) { try LoopbackClient(port: port) }
  }

  @Test func stopClosesIdleConnectionsPromptly() throws {
    let server = HTTPServer { _ in .text("ok") }
    try server.start()
    let port = try #require(server.boundPort)
    let clients = try (0..<5).map { _ in try LoopbackClient(port: port) }
    for client in clients {
      client.send(request("/"))
      #expect(client.readResponse()?.status == 200)
    }
    let started = ContinuousClock.now
    server.stop()
    #expect(ContinuousClock.now - started < .seconds(5))
    for client in clients { #expect(client.waitForClose()) }
    server.stop()  // a second stop is harmless
  }

  @Test func headResponsesCarryNoContent() throws {
    try withServer(handler: { _ in .text("twelve bytes") }) { _, port in
      let client = try LoopbackClient(port: port)
      client.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n")
      let response = try #require(client.readResponse(hasBody: false))
      #expect(response.headers["Content-Length"] == "12")
      client.send(request("/"))
      #expect(client.readResponse()?.text == "twelve bytes")
    }
  }

  /// A handler that routes with ``HTTPMethod/isAllowed(by:)`` answers HEAD on a GET path
  /// as GET, field for field, and 405 with `Allow` elsewhere. Pipelined on one connection:
  /// the answer after each HEAD must start right after its head.
  @Test func headIsAnsweredLikeGetByARoutingHandler() throws {
    let routes: [String: [HTTPMethod]] = ["/page": [.get], "/submit": [.post]]
    let handler: @Sendable (HTTPRequest) -> HTTPResponse = { request in
      guard let methods = routes[request.path] else { return HTTPError.notFound().response }
      guard request.method.isAllowed(by: methods) else {
        var refusal = HTTPError.methodNotAllowed().response
        refusal.headers["Allow"] = HTTPMethod.allowFieldValue(for: methods)
        return refusal
      }
      return HTTPResponse(headers: ["Content-Type": "text/plain", "ETag": "\"v1\""], body: Array("page content".utf8))
    }
    try withServer(handler: handler) { _, port in
      let client = try LoopbackClient(port: port)
      client.send(
        "HEAD /page HTTP/1.1\r\nHost: h\r\n\r\n" + request("/page") + "HEAD /submit HTTP/1.1\r\nHost: h\r\n\r\n"
          + "PUT /page HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n" + "HEAD /none HTTP/1.1\r\nHost: h\r\n\r\n"
          + request("/page"))
      let head = try #require(client.readResponse(hasBody: false))
      let get = try #require(client.readResponse())
      #expect(head.status == 200)
      #expect(get.text == "page content")
      #expect(head.headers["Content-Length"] == "12")
      var headFields = head.headers
      var getFields = get.headers
      headFields["Date"] = nil
      getFields["Date"] = nil
      #expect(headFields == getFields)

      let headOnPost = try #require(client.readResponse(hasBody: false))
      #expect(headOnPost.status == 405)
      #expect(headOnPost.headers["Allow"] == "POST")
      let put = try #require(client.readResponse())
      #expect(put.status == 405)
      #expect(put.headers["Allow"] == "GET, HEAD")
      let headOnNothing = try #require(client.readResponse(hasBody: false))
      #expect(headOnNothing.status == 404)
      #expect(Int(headOnNothing.headers["Content-Length"] ?? "") == HTTPError.notFound().jsonBody.count)
      #expect(client.readResponse()?.text == "page content")
      #expect(client.unreadByteCount == 0)
      #expect(!client.sawEndOfStream)
    }
  }

  @Test(.enabled(if: IPv6Loopback.isAvailable, Comment(rawValue: IPv6Loopback.missingReason)))
  func listensOnTheIPv6Loopback() throws {
    let address = try HTTPListenAddress("[::1]:0")
    try withServer(HTTPServer.Configuration(host: address.host, port: address.port)) { _, port in
      let client = try LoopbackClient(port: port, address: "::1")
      client.send("GET /six HTTP/1.1\r\nHost: \(address.authority(port: port))\r\n\r\n")
      #expect(client.readResponse()?.text == "path=/six")
      // Bound to ::1 only: the IPv4 loopback is another address.
      #expect(throws: LoopbackClient.ConnectFailed.self) { try LoopbackClient(port: port) }
    }
  }

  /// `[::]` is every IPv6 address and, unless the system keeps IPv6 sockets to IPv6
  /// (net.ipv6.bindv6only), every IPv4 one too.
  @Test(.enabled(if: IPv6Loopback.isAvailable, Comment(rawValue: IPv6Loopback.missingReason)))
  func listensOnEveryAddress() throws {
    let address = try HTTPListenAddress("[::]:0")
    try withServer(HTTPServer.Configuration(host: address.host, port: address.port)) { _, port in
      let six = try LoopbackClient(port: port, address: "::1")
      six.send(request("/six"))
      #expect(six.readResponse()?.text == "path=/six")
      let v6only = (try? String(contentsOfFile: "/proc/sys/net/ipv6/bindv6only", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines)
      if v6only == "0" {
        let four = try LoopbackClient(port: port)
        four.send(request("/four"))
        #expect(four.readResponse()?.text == "path=/four")
      }
    }
  }

  @Test func http10ConnectionClosesAfterOneResponse() throws {
    try withServer { _, port in
      let client = try LoopbackClient(port: port)
      client.send("GET /old HTTP/1.0\r\n\r\n")
      let response = try #require(client.readResponse())
      #expect(response.text == "path=/old")
      #expect(response.headers["Connection"] == "close")
      #expect(client.waitForClose())
    }
  }

  @Test func expectContinueGetsAnInterimResponse() throws {
    try withServer(handler: { .text(String(decoding: $0.body, as: UTF8.self)) }) { _, port in
      let client = try LoopbackClient(port: port)
      client.send("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
      #expect(client.readResponse(hasBody: false)?.status == 100)
      client.send("data")
      #expect(client.readResponse()?.text == "data")
    }
  }

  @Test func unsendableResponseBecomesA500AndIsLogged() throws {
    let messages = Mutex<[String]>([])
    try withServer(
      log: { message in messages.withLock { $0.append(message) } },
      handler: { _ in HTTPResponse(headers: ["X-Split": "a\r\nSet-Cookie: x"], body: Array("secret".utf8)) }
    ) { _, port in
      let client = try LoopbackClient(port: port)
      client.send(request("/"))
      let response = try #require(client.readResponse())
      #expect(response.status == 500)
      #expect(!response.text.contains("secret"))
      #expect(response.headers["Set-Cookie"] == nil)
    }
    #expect(messages.withLock { $0.count } == 1)
  }

  @Test func handlerCanAskToClose() throws {
    try withServer(handler: { _ in HTTPResponse(headers: ["Connection": "close"]) }) { _, port in
      let client = try LoopbackClient(port: port)
      client.send(request("/"))
      #expect(client.readResponse()?.headers["Connection"] == "close")
      #expect(client.waitForClose())
    }
  }

  @Test func aServerStartsOnce() throws {
    try withServer { server, port in
      #expect(throws: HTTPServerError.self) { try server.start() }
      let rival = HTTPServer(configuration: .init(port: port)) { _ in .text("") }
      let error = try #require(throws: HTTPServerError.self) { try rival.start() }
      #expect(error.operation == "bind")
      #expect(error.errorNumber == EADDRINUSE)
    }
  }

  @Test func urlSessionTalksToTheServer() async throws {
    let server = HTTPServer { request in
      .json(["method": request.method.rawValue, "body": String(decoding: request.body, as: UTF8.self)])
    }
    try server.start()
    defer { server.stop() }
    let port = try #require(server.boundPort)
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    let url = try #require(URL(string: "http://127.0.0.1:\(port)/records?x=1"))

    let (getData, getResponse) = try await session.data(from: url)
    #expect((getResponse as? HTTPURLResponse)?.statusCode == 200)
    #expect(try JSONDecoder().decode([String: String].self, from: getData) == ["method": "GET", "body": ""])

    var post = URLRequest(url: url)
    post.httpMethod = "POST"
    post.httpBody = Data(repeating: UInt8(ascii: "z"), count: 200_000)
    post.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
    let (postData, postResponse) = try await session.data(for: post)
    #expect((postResponse as? HTTPURLResponse)?.statusCode == 200)
    let decoded = try JSONDecoder().decode([String: String].self, from: postData)
    #expect(decoded["method"] == "POST")
    #expect(decoded["body"]?.count == 200_000)
  }
}
