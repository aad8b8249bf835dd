import RenkeiTestSupport
import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiStore
import Synchronization
import Testing

/// The hub's HTTP API over real loopback sockets: a ``HubServer`` on a free port in its own
/// temporary directory, four registered sites, and a raw client that can send well-formed
/// requests and broken ones alike. Each refusal is checked for its exact status and code,
/// and, where the hub must not have changed, against a count of its tables read through a
/// second connection to the database file.
@Suite struct HubServiceTests {
  // MARK: Fixture

  /// The sites every test hub registers: a prefecture each for Saitama (11) and Yamanashi
  /// (19), the Kantō-Shin'etsu bureau, and the bureau's administrator.
  static let sites: [(name: String, role: SiteRole, scope: String)] = [
    ("saitama", .prefecture, "11"), ("yamanashi", .prefecture, "19"), ("kanto", .bureau, "kanto-shinetsu"),
    ("kanto-admin", .admin, "kanto-shinetsu"),
  ]

  /// How many rows each hub table holds: equal before and after a refused request.
  struct Counts: Equatable, CustomStringConvertible {
    var changes: Int64
    var versions: Int64
    var records: Int64
    var writers: Int64
    var conflicts: Int64
    static let empty = Counts(changes: 0, versions: 0, records: 0, writers: 0, conflicts: 0)
    var description: String {
      "changes \(changes), versions \(versions), records \(records), writers \(writers), conflicts \(conflicts)"
    }
  }

  /// A started hub and what a test needs to talk to it.
  struct TestHub {
    let directory: String
    let port: Int
    let tokens: [String: AccessToken]

    func token(_ site: String) -> AccessToken { tokens[site]! }

    /// Sends `bytes` on a new connection and reads the one response.
    func exchange(_ bytes: [UInt8]) throws -> LoopbackClient.Response {
      let client = try LoopbackClient(port: port)
      client.send(bytes)
      return try #require(client.readResponse(), "no response from the hub")
    }

    /// A request with `Host` and `Connection: close`, the given fields, and
    /// `Content-Length` whenever there is content or the method is POST.
    func request(
      _ method: String, _ target: String, authorization: String? = nil, contentType: String? = nil,
      body: [UInt8] = [], fields: [(String, String)] = []
    ) throws -> LoopbackClient.Response {
      var all = fields
      if let authorization { all.append(("Authorization", authorization)) }
      if let contentType { all.append(("Content-Type", contentType)) }
      if !body.isEmpty || method == "POST" { all.append(("Content-Length", String(body.count))) }
      return try exchange(HubServiceTests.head(method, target, fields: all) + body)
    }

    func get(_ target: String, as site: String? = nil) throws -> LoopbackClient.Response {
      try request("GET", target, authorization: site.map { "Bearer \(token($0).text)" })
    }

    func push(_ changes: [Change], as site: String, contentType: String? = "application/json") throws
      -> LoopbackClient.Response
    {
      try request(
        "POST", "/v1/push", authorization: "Bearer \(token(site).text)", contentType: contentType,
        body: HubServiceTests.pushBody(changes))
    }

    func pull(as site: String, after: UInt64 = 0, limit: Int = 5000, stored: UInt64? = nil) throws -> PullPage {
      let response = try get("/v1/pull?after=\(after)&limit=\(limit)" + (stored.map { "&stored=\($0)" } ?? ""), as: site)
      #expect(response.status == 200, "\(response.text)")
      return try response.decode(PullPage.self)
    }

    /// Row counts read through a connection of the test's own, not the server's.
    func counts() throws -> Counts {
      let database = try Database(path: HubServer.databasePath(in: directory))
      defer { database.close() }
      func count(_ table: String) throws -> Int64 {
        try #require(try database.prepare("SELECT count(*) FROM \(table)").firstRow()).int64(0)
      }
      return Counts(
        changes: try count("changes"), versions: try count("versions"), records: try count("records"),
        writers: try count("writers"), conflicts: try count("conflicts"))
    }

    /// Revokes `site` through a second hub connection, as `renkei-hub site revoke` does
    /// while the server runs.
    func revoke(_ site: String) throws {
      try Hub(path: HubServer.databasePath(in: directory)).revokeSite(SiteID(rawValue: site)!)
    }
  }

  /// Registers ``sites`` in a fresh directory, serves the hub on a free loopback port, runs
  /// `body`, then stops the server and removes the directory.
  func withHub(
    maxBodyBytes: Int = HTTPRequestParser.defaultMaxBodyBytes, log: @escaping @Sendable (String) -> Void = { _ in },
    _ body: (TestHub) throws -> Void
  ) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("renkei-hub-service-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var tokens: [String: AccessToken] = [:]
    do {
      let registry = try Hub(path: HubServer.databasePath(in: directory))
      for site in Self.sites {
        tokens[site.name] = try registry.addSite(SiteID(rawValue: site.name)!, role: site.role, scope: Scope(site.scope))
      }
      registry.database.close()
    }
    let server = try HubServer(
      directory: directory,
      configuration: .init(host: "127.0.0.1", port: 0, headerReadTimeout: .seconds(10), maxBodyBytes: maxBodyBytes),
      log: log)
    try server.start()
    defer { server.stop() }
    try body(TestHub(directory: directory, port: try #require(server.port), tokens: tokens))
  }

  /// A request head with `Host`, the given fields, and `Connection: close` unless `keepAlive`.
  static func head(_ method: String, _ target: String, fields: [(String, String)], keepAlive: Bool = false) -> [UInt8] {
    var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keepAlive ? "" : "Connection: close\r\n")
    for (name, value) in fields { text += "\(name): \(value)\r\n" }
    return Array((text + "\r\n").utf8)
  }

  static func pushBody(_ changes: [Change]) -> [UInt8] {
    // Encoding changes cannot fail; a failure would show as a 400 in the test.
    Array((try? JSONEncoder().encode(PushRequest(changes: changes))) ?? Data())
  }

  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ scope: String, _ title: String) -> RecordFields {
    ["scope": .string(scope), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  /// Checks an error response: the status, JSON, and the code in `{"error":{"code":…}}`.
  func expectError(
    _ response: LoopbackClient.Response, _ status: Int, _ code: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
    let error = try? response.decode(WireError.self)
    #expect(error?.error.code == code, "\(response.text)", sourceLocation: sourceLocation)
  }

  // MARK: Health and identity

  @Test func healthAnswersWithoutAToken() throws {
    try withHub { hub in
      let response = try hub.get("/v1/health")
      #expect(response.status == 200, "\(response.text)")
      #expect(response.headers["Content-Type"] == "application/json")
      #expect(
        try response.decode(HealthStatus.self) == HealthStatus(status: "ok", version: RenkeiVersion.current, sqlite: Database.sqliteVersion)
      )
      #expect(Set(try response.object().keys) == ["status", "version", "sqlite"])
      // The route does not look at tokens at all, so a bad one changes nothing.
      #expect(try hub.request("GET", "/v1/health", authorization: "Bearer garbage").status == 200)
    }
  }

  @Test func whoamiNamesTheTokensSiteRoleAndScope() throws {
    try withHub { hub in
      for site in Self.sites {
        let response = try hub.get("/v1/whoami", as: site.name)
        #expect(response.status == 200, "\(site.name): \(response.text)")
        #expect(
          try response.decode(WhoAmI.self)
            == WhoAmI(site: SiteID(rawValue: site.name)!, role: site.role, scope: try Scope(site.scope), latestEpoch: 0))
        #expect(Set(try response.object().keys) == ["site", "role", "scope", "latest_epoch"])
      }
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "認知症セミナー"))
      #expect(try hub.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      #expect(try hub.get("/v1/whoami", as: "saitama").decode(WhoAmI.self).latestEpoch == 1)
      #expect(try hub.get("/v1/whoami", as: "yamanashi").decode(WhoAmI.self).latestEpoch == 0)
    }
  }

  // MARK: Authentication

  static let refusedAuthorizations: [String?] = [
    nil, "", "Bearer", "Bearer ", "Bearer garbage", "Basic c2FpdGFtYTpzZWNyZXQ=",
    // Well-formed, but no site was given it.
    "Bearer rk_" + String(repeating: "0", count: 64),
    // A token's shape is lowercase hex.
    "Bearer rk_" + String(repeating: "A", count: 64),
  ]

  @Test(arguments: refusedAuthorizations, ["GET /v1/whoami", "GET /v1/pull", "POST /v1/push"])
  func aMissingMalformedOrUnknownTokenIs401(authorization: String?, route: String) throws {
    let parts = route.split(separator: " ").map(String.init)
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let body = parts[0] == "POST" ? Self.pushBody(try saitama.pendingChanges()) : []
      let response = try hub.request(
        parts[0], parts[1], authorization: authorization, contentType: parts[0] == "POST" ? "application/json" : nil,
        body: body)
      expectError(response, 401, "unauthorized")
      #expect(response.headers["WWW-Authenticate"] == #"Bearer realm="renkei-hub""#)
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aValidTokenCountsOnlyUnderTheBearerScheme() throws {
    try withHub { hub in
      let token = hub.token("saitama").text
      expectError(try hub.request("GET", "/v1/whoami", authorization: "Token \(token)"), 401, "unauthorized")
      expectError(try hub.request("GET", "/v1/whoami", authorization: "Bearer\(token)"), 401, "unauthorized")
      // The scheme name is case-insensitive (RFC 9110 §11.1), and space around the token is ignored.
      #expect(try hub.request("GET", "/v1/whoami", authorization: "bearer \(token)").status == 200)
      #expect(try hub.request("GET", "/v1/whoami", authorization: "BEARER    \(token)").status == 200)
    }
  }

  @Test func aRevokedTokenIs401AndPushesNothing() throws {
    try withHub { hub in
      #expect(try hub.get("/v1/whoami", as: "saitama").status == 200)
      try hub.revoke("saitama")
      let whoami = try hub.get("/v1/whoami", as: "saitama")
      expectError(whoami, 401, "unauthorized")
      #expect(whoami.headers["WWW-Authenticate"] == #"Bearer realm="renkei-hub""#)
      expectError(try hub.get("/v1/pull", as: "saitama"), 401, "unauthorized")
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      expectError(try hub.push(try saitama.pendingChanges(), as: "saitama"), 401, "unauthorized")
      #expect(try hub.counts() == .empty)
      // Revoking one site leaves the others working.
      #expect(try hub.get("/v1/whoami", as: "yamanashi").status == 200)
    }
  }

  // MARK: Push

  /// Registering a taken name is refused with advice that works: the old message said to
  /// revoke the site first, and after revoking, the same refusal came again.
  @Test func aRevokedSitesNameIsRefusedWithAdviceThatWorks() throws {
    try withHub { hub in
      let database = try Hub(path: HubServer.databasePath(in: hub.directory))
      let saitama = SiteID(rawValue: "saitama")!
      #expect(throws: HubError.self) { try database.addSite(saitama, role: .prefecture, scope: Scope("11")) }
      try database.revokeSite(saitama)
      do {
        _ = try database.addSite(saitama, role: .prefecture, scope: Scope("11"))
        Issue.record("a revoked site's name was registered again")
      } catch let error as HubError {
        #expect(!error.message.contains("revoke it first"), "\(error.message)")
        #expect(error.message.contains("was revoked") && error.message.contains("saitama-2"), "\(error.message)")
      }
      let renamed = try database.addSite(SiteID(rawValue: "saitama-2")!, role: .prefecture, scope: Scope("11"))
      #expect(try database.authenticate(renamed)?.name.rawValue == "saitama-2")
    }
  }

  /// An unknown path of 60 KB is refused without repeating it whole in the answer or in the
  /// audit row a token holder's refusal adds (each request would otherwise store 60 KB).
  @Test func aVeryLongUnknownPathIsNotRepeatedWhole() throws {
    try withHub { hub in
      let path = "/" + String(repeating: "a", count: 60_000)
      let response = try hub.get(path, as: "saitama")
      expectError(response, 404, "not-found")
      #expect(response.text.count < 1_000, "\(response.text.count) bytes")
      let audit = try Hub(path: HubServer.databasePath(in: hub.directory)).auditEntries()
      #expect(audit.contains { $0.reason.contains("(60001 bytes)") })
      #expect(audit.allSatisfy { $0.reason.count < 1_000 })
    }
  }

  @Test func replayingAPushAppliesNothingNew() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "認知症セミナー"))
      try saitama.create(.event, fields: event("11", "在宅医療研修"))
      let changes = try saitama.pendingChanges()
      let first = try hub.push(changes, as: "saitama")
      #expect(first.status == 200, "\(first.text)")
      #expect(try first.decode(PushResult.self) == PushResult(acknowledgedSequence: 2, applied: 2, conflicts: []))
      #expect(Set(try first.object().keys) == ["acknowledged_sequence", "applied", "conflicts"])
      let before = try hub.counts()
      #expect(before.changes == 2 && before.records == 2)

      let again = try hub.push(changes, as: "saitama")
      #expect(again.status == 200, "\(again.text)")
      #expect(try again.decode(PushResult.self) == PushResult(acknowledgedSequence: 2, applied: 0, conflicts: []))
      #expect(try hub.counts() == before)
    }
  }

  @Test func aPushCutOffMidBodyStoresNothing() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      for title in ["一", "二", "三"] { try saitama.create(.event, fields: event("11", title)) }
      let changes = try saitama.pendingChanges()
      let body = Self.pushBody(changes)
      let client = try LoopbackClient(port: hub.port)
      client.send(
        Self.head(
          "POST", "/v1/push",
          fields: [
            ("Authorization", "Bearer \(hub.token("saitama").text)"), ("Content-Type", "application/json"),
            ("Content-Length", String(body.count)),
          ]) + body.prefix(body.count / 2))
      // The client dies mid-body: its FIN reaches the server, which must drop the request
      // unanswered. Its closing the connection in turn shows it is done with it.
      client.finishSending()
      #expect(client.waitForClose())
      #expect(client.unreadByteCount == 0, "the hub answered a request it never received whole")
      #expect(try hub.counts() == .empty)

      // Sent whole, the same push applies every change: nothing of the cut one was kept.
      let whole = try hub.push(changes, as: "saitama")
      #expect(whole.status == 200, "\(whole.text)")
      #expect(try whole.decode(PushResult.self).applied == 3)
    }
  }

  @Test(arguments: ["19", "kanto-shinetsu", "02", "tohoku"])
  func aPrefectureCannotPushARecordOfAnotherScope(scope: String) throws {
    try withHub { hub in
      // A replica under Saitama's name but holding another scope: its changes carry the
      // right origin, so only the scope check stands between them and the hub.
      let rogue = try replica("saitama", scope)
      try rogue.create(.event, fields: event(scope, "よその研修"))
      let response = try hub.push(try rogue.pendingChanges(), as: "saitama")
      expectError(response, 403, "forbidden")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func oneChangeOfAnotherPrefectureRefusesTheWholeBatch() throws {
    try withHub { hub in
      let rogue = try replica("saitama", "kanto-shinetsu")
      try rogue.create(.event, fields: event("11", "埼玉の研修"))
      try rogue.create(.event, fields: event("19", "山梨の研修"))
      let changes = try rogue.pendingChanges()
      expectError(try hub.push(changes, as: "saitama"), 403, "forbidden")
      #expect(try hub.counts() == .empty)
      // The first change alone was fine: it was the second that sank the batch.
      let alone = try hub.push([changes[0]], as: "saitama")
      #expect(alone.status == 200, "\(alone.text)")
      #expect(try alone.decode(PushResult.self) == PushResult(acknowledgedSequence: 1, applied: 1, conflicts: []))
    }
  }

  @Test(arguments: ["kanto", "yamanashi"])
  func aSiteCannotPushAnotherSitesChanges(pusher: String) throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      expectError(try hub.push(try saitama.pendingChanges(), as: pusher), 403, "forbidden")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func anAdminTokenCannotPush() throws {
    try withHub { hub in
      let admin = try replica("kanto-admin", "kanto-shinetsu")
      try admin.create(.event, fields: event("kanto-shinetsu", "都県協議会"))
      expectError(try hub.push(try admin.pendingChanges(), as: "kanto-admin"), 403, "forbidden")
      #expect(try hub.counts() == .empty)
      // It may still read.
      #expect(try hub.get("/v1/pull", as: "kanto-admin").status == 200)
    }
  }

  @Test func aSequenceGapIs409WithTheExpectedSequence() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      for title in ["一", "二", "三"] { try saitama.create(.event, fields: event("11", title)) }
      let changes = try saitama.pendingChanges()
      let gap = try hub.push(Array(changes.dropFirst()), as: "saitama")
      expectError(gap, 409, "sequence-gap")
      let detail = try #require(try gap.object()["error"] as? [String: Any])
      #expect(detail["expected_sequence"] as? Int == 1)
      #expect(try gap.decode(WireError.self).error.expectedSequence == 1)
      #expect(try hub.counts() == .empty)

      #expect(try hub.push([changes[0]], as: "saitama").status == 200)
      let later = try hub.push([changes[2]], as: "saitama")
      expectError(later, 409, "sequence-gap")
      #expect(try later.decode(WireError.self).error.expectedSequence == 2)
      #expect(try hub.counts().changes == 1)
    }
  }

  @Test func aChangeClaimingItsOwnScopeForAnotherPrefecturesRecordChangesNothing() throws {
    try withHub { hub in
      let yamanashi = try replica("yamanashi", "19")
      let target = try yamanashi.create(.event, fields: event("19", "地域包括ケア会議")).recordID
      #expect(try hub.push(try yamanashi.pendingChanges(), as: "yamanashi").status == 200)
      let before = try hub.counts()
      let original = try hub.pull(as: "yamanashi")

      // Saitama names Yamanashi's record but claims scope 11, which it may write: the
      // hub must judge by the record it holds, not by the claim.
      let saitama = try replica("saitama", "11")
      var update = try saitama.create(.event, fields: event("11", "乗っ取り"))
      update.recordID = target
      update.operation = .update
      update.fields = ["title": .text("乗っ取り")]
      update.vector = VersionVector([yamanashi.writer: 1, saitama.writer: 1])
      expectError(try hub.push([update], as: "saitama"), 422, "invalid-change")
      var create = try saitama.pendingChanges()[0]
      create.recordID = target
      expectError(try hub.push([create], as: "saitama"), 422, "invalid-change")

      #expect(try hub.counts() == before)
      #expect(try hub.pull(as: "yamanashi") == original)
      #expect(try hub.pull(as: "saitama").entries.isEmpty)
    }
  }

  @Test func aReusedSequenceOrAnUnknownParentIs409() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      #expect(try hub.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      let before = try hub.counts()

      // A copy restored from before that push reuses sequence 1 for another edit.
      let restored = try replica("saitama", "11")
      try restored.create(.event, fields: event("11", "別の研修"))
      let reused = try hub.push(try restored.pendingChanges(), as: "saitama")
      expectError(reused, 409, "epoch-reused")
      #expect(try reused.object()["error"].flatMap { ($0 as? [String: Any])?["expected_sequence"] } == nil)

      try saitama.acknowledge(through: 1)
      var forged = try saitama.update(try saitama.records()[0].id, fields: ["title": .text("改題")])
      forged.vector = forged.vector.merged(with: VersionVector([WriterID(site: SiteID(rawValue: "kanto")!, epoch: 1): 5]))
      expectError(try hub.push([forged], as: "saitama"), 409, "unknown-parent")
      #expect(try hub.counts() == before)
    }
  }

  @Test func anEmptyPushAcknowledgesNothing() throws {
    try withHub { hub in
      let response = try hub.push([], as: "saitama")
      #expect(response.status == 200, "\(response.text)")
      #expect(try response.decode(PushResult.self) == PushResult(acknowledgedSequence: 0, applied: 0, conflicts: []))
      #expect(try hub.counts() == .empty)
    }
  }

  @Test(arguments: [
    "{not json", "", "[]", "{}", #"{"changes":5}"#, #"{"changes":[{"site":"saitama"}]}"#,
    #"{"changes":[{"site":"saitama","epoch":0,"sequence":1,"kind":"event","record":"a","scope":"11","op":"create","fields":{},"vector":{"saitama.1":1},"author":"a","hlc":"0"}]}"#,
    // Properties the schema does not list are refused, not dropped (found by schemathesis).
    #"{"changes":[],"x-schemathesis-unknown-property":42}"#,
    #"{"changes":[{"site":"saitama","epoch":1,"sequence":1,"kind":"note","record":"a","scope":"11","op":"delete","vector":{"saitama.1":1},"author":"a","hlc":"0-0","comment":"x"}]}"#,
  ])
  func aBodyThatIsNotAPushIs400(body: String) throws {
    try withHub { hub in
      let response = try hub.request(
        "POST", "/v1/push", authorization: "Bearer \(hub.token("saitama").text)", contentType: "application/json",
        body: Array(body.utf8))
      expectError(response, 400, "bad-request")
      #expect(try hub.counts() == .empty)
    }
  }

  /// The message says where in the body, as the client wrote it, and nothing of the
  /// decoder's own notation (an empty path left "valid push: : The given data…", and an
  /// array element read "changes.Index 0.site").
  @Test(arguments: [
    ("{not json", "the push body is not a valid push: The given data was not valid JSON."),
    (#"{"changes":[{}]}"#, "the push body is not a valid push: changes[0].site is missing"),
    (#"{"changes":5}"#, "the push body is not a valid push: changes: "),
  ])
  func aBodyThatIsNotAPushSaysWhereInTheBody(body: String, message: String) throws {
    try withHub { hub in
      let response = try hub.request(
        "POST", "/v1/push", authorization: "Bearer \(hub.token("saitama").text)", contentType: "application/json",
        body: Array(body.utf8))
      let error = try response.decode(WireError.self)
      #expect(error.error.message.hasPrefix(message), "\(error.error.message)")
    }
  }

  @Test func aFieldValueNoChangeMayHoldIs400() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      var push = try #require(try JSONSerialization.jsonObject(with: Data(Self.pushBody(try saitama.pendingChanges()))) as? [String: Any])
      var changes = try #require(push["changes"] as? [[String: Any]])
      var fields = try #require(changes[0]["fields"] as? [String: Any])
      fields["title"] = true
      changes[0]["fields"] = fields
      push["changes"] = changes
      let body = try JSONSerialization.data(withJSONObject: push)
      let response = try hub.request(
        "POST", "/v1/push", authorization: "Bearer \(hub.token("saitama").text)", contentType: "application/json",
        body: Array(body))
      expectError(response, 400, "bad-request")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aChangeThatDecodesButBreaksTheRulesIs422() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      var change = try saitama.create(.event, fields: event("11", "研修"))
      change.fields["colour"] = .string("赤")
      expectError(try hub.push([change], as: "saitama"), 422, "invalid-change")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json"])
  func aPushThatIsNotJSONIs415(contentType: String) throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      expectError(try hub.push(try saitama.pendingChanges(), as: "saitama", contentType: contentType), 415, "unsupported-media-type")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test(arguments: ["application/json; charset=utf-8", "Application/JSON", nil])
  func aJSONOrAbsentContentTypeIsAccepted(contentType: String?) throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let response = try hub.push(try saitama.pendingChanges(), as: "saitama", contentType: contentType)
      #expect(response.status == 200, "\(response.text)")
      #expect(try hub.counts().changes == 1)
    }
  }

  // MARK: Audit of refusals

  /// Every way a push is refused, before its changes are looked at and because of one: the
  /// answer, nothing stored, and one audit entry naming who sent it (as far as the token
  /// tells), the route and the code.
  @Test(arguments: [
    "no token", "malformed token", "revoked token", "admin token", "text/plain", "not a push", "another scope", "sequence gap",
    "invalid change",
  ])
  func everyRefusedPushIsAudited(refusal: String) throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let changes = try saitama.pendingChanges()
      let bearer = "Bearer \(hub.token("saitama").text)"
      var authorization: String? = bearer
      var contentType = "application/json"
      var body = Self.pushBody(changes)
      let expected: (status: Int, code: String, actor: String)
      switch refusal {
      case "no token":
        authorization = nil
        expected = (401, "unauthorized", "anonymous")
      case "malformed token":
        authorization = "Bearer rk_not-a-token"
        expected = (401, "unauthorized", "anonymous")
      case "revoked token":
        try hub.revoke("saitama")
        expected = (401, "unauthorized", "saitama")
      case "admin token":
        authorization = "Bearer \(hub.token("kanto-admin").text)"
        expected = (403, "forbidden", "kanto-admin")
      case "text/plain":
        contentType = "text/plain"
        expected = (415, "unsupported-media-type", "saitama")
      case "not a push":
        body = Array(#"{"changes":5}"#.utf8)
        expected = (400, "bad-request", "saitama")
      case "another scope":
        let rogue = try replica("saitama", "19")
        try rogue.create(.event, fields: event("19", "よその研修"))
        body = Self.pushBody(try rogue.pendingChanges())
        expected = (403, "forbidden", "saitama")
      case "sequence gap":
        try saitama.create(.event, fields: event("11", "二つ目の研修"))
        body = Self.pushBody(Array(try saitama.pendingChanges().dropFirst()))
        expected = (409, "sequence-gap", "saitama")
      default:
        var change = changes[0]
        change.fields["colour"] = .string("赤")
        body = Self.pushBody([change])
        expected = (422, "invalid-change", "saitama")
      }
      let response = try hub.request("POST", "/v1/push", authorization: authorization, contentType: contentType, body: body)
      expectError(response, expected.status, expected.code)
      #expect(try hub.counts() == .empty)
      let entries = try AuditRow.all(databaseAt: HubServer.databasePath(in: hub.directory))
      try #require(entries.count == 1, "\(entries)")
      #expect(entries[0].action == "refuse" && entries[0].actor == expected.actor, "\(entries[0])")
      #expect(entries[0].detail["code"] == expected.code && entries[0].detail["route"] == "POST /v1/push", "\(entries[0])")
      // Only a request no live site answers for is counted rather than listed; the anonymous
      // one belongs to no scope.
      #expect((entries[0].detail["count"] != nil) == (expected.status == 401), "\(entries[0])")
      #expect(entries[0].scope == (expected.actor == "anonymous" ? nil : expected.actor == "kanto-admin" ? "kanto-shinetsu" : "11"))
    }
  }

  /// A flood without a valid token cannot grow the audit by more than one entry per actor,
  /// route and code: the entry counts them. A live site's refusals stay one entry each.
  @Test func aFloodWithoutAValidTokenIsCountedNotListed() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let body = Self.pushBody(try saitama.pendingChanges())
      try hub.revoke("yamanashi")
      let revoked = "Bearer \(hub.token("yamanashi").text)"
      let flood = 25
      for index in 0..<flood {
        expectError(try hub.request("POST", "/v1/push", contentType: "application/json", body: body), 401, "unauthorized")
        // Whatever the caller writes (a token, a path) does not make a new entry.
        expectError(try hub.request("GET", "/v1/pull", authorization: "Bearer rk_\(index)"), 401, "unauthorized")
        expectError(try hub.request("GET", "/v1/no-such-route-\(index)"), 404, "not-found")
        expectError(try hub.request("GET", "/v1/whoami", authorization: revoked), 401, "unauthorized")
      }
      for _ in 0..<3 {
        expectError(try hub.push(try saitama.pendingChanges(), as: "saitama", contentType: "text/plain"), 415, "unsupported-media-type")
      }
      let entries = try AuditRow.all(databaseAt: HubServer.databasePath(in: hub.directory))
      let counted = Dictionary(grouping: entries.filter { $0.detail["count"] != nil }) {
        "\($0.actor) \($0.detail["route"] ?? "") \($0.detail["code"] ?? "")"
      }
      #expect(
        counted.mapValues { $0.map(\.count) } == [
          "anonymous POST /v1/push unauthorized": [flood], "anonymous GET /v1/pull unauthorized": [flood],
          "anonymous unmatched not-found": [flood], "yamanashi GET /v1/whoami unauthorized": [flood],
        ])
      #expect(counted["yamanashi GET /v1/whoami unauthorized"]?.first?.scope == "19")
      #expect(entries.filter { $0.actor == "saitama" }.map(\.count) == [1, 1, 1])
      #expect(entries.count == 4 + 3)
      #expect(try hub.counts() == .empty)
    }
  }

  // MARK: Pull

  @Test func aPrefecturePullsOnlyItsOwnAndItsBureausRecords() throws {
    try withHub { hub in
      let kanto = try replica("kanto", "kanto-shinetsu")
      let shared = try kanto.create(.event, fields: event("kanto-shinetsu", "都県協議会")).recordID
      let forSaitama = try kanto.create(.event, fields: event("11", "埼玉の研修")).recordID
      let forYamanashi = try kanto.create(.event, fields: event("19", "山梨の研修")).recordID
      #expect(try hub.push(try kanto.pendingChanges(), as: "kanto").status == 200)
      let saitama = try replica("saitama", "11")
      let saitamasOwn = try saitama.create(.event, fields: event("11", "認知症セミナー")).recordID
      #expect(try hub.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      let yamanashi = try replica("yamanashi", "19")
      let yamanashisOwn = try yamanashi.create(.event, fields: event("19", "地域包括ケア会議")).recordID
      #expect(try hub.push(try yamanashi.pendingChanges(), as: "yamanashi").status == 200)

      let expected: [String: (scopes: Set<String>, records: Set<RecordID>)] = [
        "saitama": (["11", "kanto-shinetsu"], [shared, forSaitama, saitamasOwn]),
        "yamanashi": (["19", "kanto-shinetsu"], [shared, forYamanashi, yamanashisOwn]),
        "kanto": (["11", "19", "kanto-shinetsu"], [shared, forSaitama, forYamanashi, saitamasOwn, yamanashisOwn]),
      ]
      for (site, want) in expected {
        // Whole, and a record at a time: no cursor lets another prefecture's record through.
        for limit in [5000, 1] {
          var entries: [FeedEntry] = []
          var cursor: UInt64 = 0
          while true {
            let page = try hub.pull(as: site, after: cursor, limit: limit)
            entries += page.entries
            cursor = page.cursor
            if !page.hasMore { break }
          }
          #expect(entries.allSatisfy { want.scopes.contains($0.scope.rawValue) }, "\(site) was served \(entries.map(\.scope))")
          #expect(entries.allSatisfy { $0.version.state["scope"] == .string($0.scope.rawValue) })
          #expect(Set(entries.map(\.version.recordID)) == want.records && entries.count == want.records.count, "\(site), limit \(limit)")
        }
      }
    }
  }

  @Test func pullPagesServeEveryEntryOnceAndResumeFromTheCursor() throws {
    try withHub { hub in
      let kanto = try replica("kanto", "kanto-shinetsu")
      var created: Set<RecordID> = []
      for (index, scope) in ["11", "19", "kanto-shinetsu", "11", "19"].enumerated() {
        created.insert(try kanto.create(.event, fields: event(scope, "研修\(index)")).recordID)
      }
      #expect(try hub.push(try kanto.pendingChanges(), as: "kanto").status == 200)

      let firstResponse = try hub.get("/v1/pull?limit=2", as: "kanto")
      #expect(firstResponse.status == 200, "\(firstResponse.text)")
      #expect(Set(try firstResponse.object().keys) == ["entries", "cursor", "has_more"])
      let entryObject = try #require((try firstResponse.object()["entries"] as? [[String: Any]])?.first)
      #expect(Set(entryObject.keys) == ["position", "scope", "version"])
      #expect(Set(try #require(entryObject["version"] as? [String: Any]).keys) == ["kind", "recordID", "state", "vector", "stamp"])

      var pages: [PullPage] = [try firstResponse.decode(PullPage.self)]
      while pages.last!.hasMore, pages.count < 10 {
        pages.append(try hub.pull(as: "kanto", after: pages.last!.cursor, limit: 2))
      }
      #expect(pages.map(\.entries.count) == [2, 2, 1])
      #expect(pages.map(\.hasMore) == [true, true, false])
      let entries = pages.flatMap(\.entries)
      #expect(entries.map(\.version.recordID).count == created.count)
      #expect(Set(entries.map(\.version.recordID)) == created)
      #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.position < $1.position })
      for page in pages { #expect(page.cursor == page.entries.last?.position) }

      // Asking again from a cursor gives the same page: a pull cut short resumes there.
      #expect(try hub.pull(as: "kanto", after: pages[0].cursor, limit: 2) == pages[1])
      let end = try hub.pull(as: "kanto", after: pages[2].cursor, limit: 2)
      #expect(end == PullPage(entries: [], cursor: pages[2].cursor, hasMore: false))
      // The defaults start at the beginning.
      #expect(try hub.get("/v1/pull", as: "kanto").decode(PullPage.self).entries.count == 5)
    }
  }

  @Test func aRecordInConflictIsServedWithItsConflictSummary() throws {
    try withHub { hub in
      let kanto = try replica("kanto", "kanto-shinetsu")
      let created = try kanto.create(.event, fields: event("11", "研修")).recordID
      #expect(try hub.push(try kanto.pendingChanges(), as: "kanto").status == 200)
      try kanto.acknowledge(through: 1)
      let saitama = try replica("saitama", "11")
      let page = try hub.pull(as: "saitama")
      try saitama.apply(page.entries, cursor: page.cursor)
      try kanto.update(created, fields: ["venue": .text("さいたま市民会館")])
      try saitama.update(created, fields: ["venue": .text("川越市民会館")])
      #expect(try hub.push(try kanto.pendingChanges(), as: "kanto").status == 200)
      let second = try hub.push(try saitama.pendingChanges(), as: "saitama")
      #expect(second.status == 200, "\(second.text)")
      let result = try second.decode(PushResult.self)
      #expect(result.applied == 1 && result.conflicts.count == 1)

      let response = try hub.get("/v1/pull", as: "saitama")
      let entry = try #require((try response.object()["entries"] as? [[String: Any]])?.first)
      #expect(Set(entry.keys) == ["position", "scope", "version", "conflict"])
      let conflict = try #require(entry["conflict"] as? [String: Any])
      #expect(Set(conflict.keys) == ["id", "conflicts", "sites", "sides"])
      #expect(conflict["id"] as? Int == Int(result.conflicts[0]))
      #expect(conflict["sites"] as? [String] == ["kanto", "saitama"])
      let fieldConflicts = try #require(conflict["conflicts"] as? [[String: Any]])
      #expect(fieldConflicts.map { Set($0.keys) } == [["field", "rule"]])
      #expect(fieldConflicts.first?["field"] as? String == "venue" && fieldConflicts.first?["rule"] as? String == "different-values")
      let sides = try #require(conflict["sides"] as? [[String: Any]])
      #expect(sides.map { Set($0.keys) } == Array(repeating: ["writer", "author", "timestamp", "deleted", "values"], count: 2))
      #expect(Set(sides.compactMap { $0["writer"] as? String }) == ["kanto.1", "saitama.1"])
      #expect(Set(sides.compactMap { ($0["values"] as? [String: Any])?["venue"] as? String }) == ["さいたま市民会館", "川越市民会館"])
    }
  }

  @Test(arguments: [
    "after=-1", "after=abc", "after=9223372036854775808", "after=18446744073709551616", "after=", "after=1&after=2",
    "after=1.0", "limit=0", "limit=5001", "limit=", "limit=1.5", "limit=-1", "limit=2&limit=2",
  ])
  func anAfterOrLimitOutOfRangeIs400(query: String) throws {
    try withHub { hub in
      expectError(try hub.get("/v1/pull?\(query)", as: "saitama"), 400, "bad-request")
    }
  }

  @Test(arguments: ["after=9223372036854775807", "after=0", "limit=1", "limit=5000", "after=0&limit=500", ""])
  func anAfterOrLimitInRangeIsAccepted(query: String) throws {
    try withHub { hub in
      let response = try hub.get("/v1/pull?\(query)", as: "saitama")
      #expect(response.status == 200, "\(response.text)")
    }
  }

  // MARK: Routing

  @Test(arguments: ["/v1/nope", "/", "/v1/health/", "/v2/health", "/v1/Health", "/v1/push/extra", "/v1"])
  func anUnknownPathIs404(path: String) throws {
    try withHub { hub in
      expectError(try hub.get(path), 404, "not-found")
      expectError(try hub.request("POST", path, authorization: "Bearer \(hub.token("kanto").text)"), 404, "not-found")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test(arguments: [
    ("POST", "/v1/health", "GET, HEAD"), ("PUT", "/v1/whoami", "GET, HEAD"), ("GET", "/v1/push", "POST"),
    ("PUT", "/v1/push", "POST"), ("DELETE", "/v1/pull", "GET, HEAD"), ("OPTIONS", "/v1/push", "POST"),
    ("PATCH", "/v1/push", "POST"), ("TRACE", "/v1/health", "GET, HEAD"), ("QUERY", "/v1/pull", "GET, HEAD"),
    ("POST", "/reports/funds", "GET, HEAD"),
  ])
  func aWrongMethodIs405WithAllow(method: String, path: String, allowed: String) throws {
    try withHub { hub in
      let response = try hub.request(method, path, authorization: "Bearer \(hub.token("kanto").text)")
      expectError(response, 405, "method-not-allowed")
      #expect(response.headers["Allow"] == allowed)
      #expect(try hub.counts() == .empty)
    }
  }

  /// HEAD answers every GET route as GET does (RFC 9110 §9.3.2): the same status and fields,
  /// the length and coding of the content GET sends, and no content. Sent on one connection
  /// with a GET after each HEAD: were any content sent after a HEAD answer, the GET's answer
  /// would be read from the middle of it.
  @Test(arguments: [
    ("/v1/health", nil), ("/v1/whoami", "saitama"), ("/v1/pull?after=0&limit=100", "kanto"), ("/v1/pull", nil),
    ("/v1/conflicts?status=all", "kanto-admin"), ("/v1/conflicts/1", "kanto-admin"), ("/v1/conflicts", "kanto"),
    ("/v1/audit", "kanto-admin"), ("/reports/schedule?fy=2023", "kanto"), ("/reports/funds?fy=2023", "kanto"),
    ("/reports/funds", "kanto"),
  ])
  func headAnswersAGetRouteAsGetWithoutTheContent(target: String, site: String?) throws {
    let lines = Mutex<[String]>([])
    try withHub(log: { line in lines.withLock { $0.append(line) } }) { hub in
      let saitama = try replica("saitama", "11")
      for title in ["研修", "連絡会議", "報告会"] { try saitama.create(.event, fields: event("11", title)) }
      #expect(try hub.push(try saitama.pendingChanges(), as: "saitama").status == 200)
      let client = try LoopbackClient(port: hub.port)
      var fields = [("Accept-Encoding", "gzip")]
      if let site { fields.append(("Authorization", "Bearer \(hub.token(site).text)")) }
      for _ in 0..<2 {
        client.send(Self.head("HEAD", target, fields: fields, keepAlive: true))
        let head = try #require(client.readResponse(hasBody: false), "no answer to HEAD \(target)")
        client.send(Self.head("GET", target, fields: fields, keepAlive: true))
        let get = try #require(client.readResponse(), "no answer to GET \(target) after HEAD")
        #expect(head.status == get.status, "\(get.text)")
        #expect(head.headers["Content-Length"] == String(get.body.count))
        var headFields = head.headers
        var getFields = get.headers
        headFields["Date"] = nil
        getFields["Date"] = nil
        #expect(headFields == getFields)
        #expect(client.unreadByteCount == 0)
        #expect(!client.sawEndOfStream)
      }
      let path = String(target.prefix { $0 != "?" })
      let logged = lines.withLock { $0 }
      #expect(logged.contains { $0.hasPrefix("HEAD \(path) ") }, "\(logged)")
      #expect(logged.contains { $0.hasPrefix("GET \(path) ") }, "\(logged)")
    }
  }

  @Test func headOnARouteWithoutGetIs405() throws {
    try withHub { hub in
      for path in ["/v1/push", "/v1/conflicts/1/resolve"] {
        let client = try LoopbackClient(port: hub.port)
        client.send(Self.head("HEAD", path, fields: []))
        let response = try #require(client.readResponse(hasBody: false))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "POST")
      }
      #expect(try hub.counts() == .empty)
    }
  }

  // MARK: Framing, through the hub

  @Test func contentLengthWithTransferEncodingIs400AndStoresNothing() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let body = Self.pushBody(try saitama.pendingChanges())
      let response = try hub.exchange(
        Self.head(
          "POST", "/v1/push",
          fields: [
            ("Authorization", "Bearer \(hub.token("saitama").text)"), ("Content-Type", "application/json"),
            ("Content-Length", String(body.count)), ("Transfer-Encoding", "chunked"),
          ]) + body)
      expectError(response, 400, "bad-request")
      #expect(response.headers["Connection"] == "close")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func transferEncodingAloneIs501AndStoresNothing() throws {
    try withHub { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      let body = Self.pushBody(try saitama.pendingChanges())
      let chunked = Array(String(body.count, radix: 16).utf8) + Array("\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)
      let response = try hub.exchange(
        Self.head(
          "POST", "/v1/push",
          fields: [
            ("Authorization", "Bearer \(hub.token("saitama").text)"), ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
          ]) + chunked)
      expectError(response, 501, "not-implemented")
      #expect(try hub.counts() == .empty)
    }
  }

  @Test func aRequestWithoutHostIs400() throws {
    try withHub { hub in
      let response = try hub.exchange(Array("GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
      expectError(response, 400, "bad-request")
    }
  }

  @Test func aHeaderBlockOver64KiBIs431() throws {
    try withHub { hub in
      let response = try hub.exchange(
        Self.head(
          "GET", "/v1/whoami",
          fields: [
            ("Authorization", "Bearer \(hub.token("saitama").text)"), ("X-Padding", String(repeating: "a", count: 70 * 1024)),
          ]))
      expectError(response, 431, "request-header-fields-too-large")
      #expect(response.headers["Connection"] == "close")
    }
  }

  @Test func aContentLengthOverTheBodyLimitIs413() throws {
    try withHub(maxBodyBytes: 4096) { hub in
      let saitama = try replica("saitama", "11")
      try saitama.create(.event, fields: event("11", "研修"))
      // Only the head is sent: the limit is judged from Content-Length, before any content.
      let response = try hub.exchange(
        Self.head(
          "POST", "/v1/push",
          fields: [
            ("Authorization", "Bearer \(hub.token("saitama").text)"), ("Content-Type", "application/json"),
            ("Content-Length", "4097"),
          ]))
      expectError(response, 413, "content-too-large")
      #expect(try hub.counts() == .empty)
      // A push within the limit still goes through.
      let small = try hub.push(try saitama.pendingChanges(), as: "saitama")
      #expect(small.status == 200, "\(small.text)")
    }
  }
}
