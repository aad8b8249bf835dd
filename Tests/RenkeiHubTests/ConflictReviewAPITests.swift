import RenkeiTestSupport
import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiStore
import Testing

/// The administrator's conflict review over real loopback HTTP: a ``HubServer`` on a free
/// port in its own temporary directory, real conflicts made by replicas pushing with their
/// own tokens, and every answer of `GET /v1/conflicts`, `GET /v1/conflicts/{id}`,
/// `POST /v1/conflicts/{id}/resolve` and `GET /v1/audit` checked for its status and code.
/// A refused resolution is checked to have changed nothing: the hub's row counts, the
/// conflict as shown and the feed as pulled are the same before and after.
@Suite struct ConflictReviewAPITests {
  // MARK: Fixture

  /// Two prefectures and the bureau of Kantō-Shin'etsu, its administrator, and the
  /// administrator of another bureau, who must see nothing of Kantō-Shin'etsu's queue.
  static let sites: [(name: String, role: SiteRole, scope: String)] = [
    ("saitama", .prefecture, "11"), ("yamanashi", .prefecture, "19"), ("kanto", .bureau, "kanto-shinetsu"),
    ("kanto-admin", .admin, "kanto-shinetsu"), ("tohoku-admin", .admin, "tohoku"),
  ]

  /// A ``HubConflict`` as a client reads it off the wire (the hub's type only encodes).
  struct ConflictView: Decodable, Equatable {
    var id: Int64
    var recordID: RecordID
    var kind: RecordKind
    var scope: Scope
    var fields: [FieldConflict]
    var base: RecordFields?
    var sides: [RecordVersion]
    var related: [RecordID]
    var revision: Int64
    var openedAt: String
    var status: String
    var resolution: ResolutionNote?

    enum CodingKeys: String, CodingKey {
      case id, kind, scope, fields, base, sides, related, revision, status, resolution
      case recordID = "record_id"
      case openedAt = "opened_at"
    }

    /// The side a site wrote.
    func side(_ site: String) -> RecordVersion? { sides.first { $0.stamp.writer.site.rawValue == site } }
  }

  /// A ``ResolveResponse`` as a client reads it.
  struct ResolveAnswer: Decodable {
    var conflict: ConflictView
    var version: RecordVersion
  }

  /// How many rows the hub's tables hold: equal before and after a refused request.
  struct Counts: Equatable {
    var changes: Int64
    var versions: Int64
    var records: Int64
    var openConflicts: Int64
    var resolvedConflicts: Int64
    var resolutions: Int64
    /// Refusals in the audit, each counted once however its entry records it.
    var refusals: Int64
  }

  /// A started hub and what a test needs to talk to it.
  struct TestHub {
    let directory: String
    let port: Int
    let tokens: [String: AccessToken]

    func bearer(_ site: String) -> String { "Bearer \(tokens[site]!.text)" }

    /// One request on a new connection, with `Host`, `Connection: close`, and
    /// `Content-Length` whenever there is content or the method is POST.
    func request(_ method: String, _ target: String, authorization: String?, body: [UInt8] = []) throws -> LoopbackClient.Response {
      var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      if let authorization { text += "Authorization: \(authorization)\r\n" }
      if !body.isEmpty || method == "POST" { text += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
      let client = try LoopbackClient(port: port)
      client.send(Array((text + "\r\n").utf8) + body)
      return try #require(client.readResponse(), "no response from the hub to \(method) \(target)")
    }

    func get(_ target: String, as site: String = "kanto-admin") throws -> LoopbackClient.Response {
      try request("GET", target, authorization: bearer(site))
    }

    func resolve(_ id: Int64, json: String, as site: String = "kanto-admin") throws -> LoopbackClient.Response {
      try request("POST", "/v1/conflicts/\(id)/resolve", authorization: bearer(site), body: Array(json.utf8))
    }

    func resolve(_ id: Int64, revision: Int64, _ choice: ResolutionChoice, reason: String, as site: String = "kanto-admin") throws
      -> LoopbackClient.Response
    {
      let body = try JSONEncoder().encode(ResolveRequest(revision: revision, reason: reason, choice: choice))
      return try request("POST", "/v1/conflicts/\(id)/resolve", authorization: bearer(site), body: Array(body))
    }

    /// Pushes a replica's pending changes with its own token and acknowledges them.
    @discardableResult
    func push(_ replica: Replica, sourceLocation: SourceLocation = #_sourceLocation) throws -> PushResult {
      let body = try JSONEncoder().encode(PushRequest(changes: try replica.pendingChanges()))
      let response = try request("POST", "/v1/push", authorization: bearer(replica.site.rawValue), body: Array(body))
      try #require(response.status == 200, "\(response.text)", sourceLocation: sourceLocation)
      let result = try response.decode(PushResult.self)
      if result.acknowledgedSequence > 0 { try replica.acknowledge(through: result.acknowledgedSequence) }
      return result
    }

    func pull(as site: String) throws -> PullPage {
      let response = try get("/v1/pull?limit=5000", as: site)
      try #require(response.status == 200, "\(response.text)")
      return try response.decode(PullPage.self)
    }

    func conflicts(_ query: String = "") throws -> [ConflictView] {
      let response = try get("/v1/conflicts" + query)
      try #require(response.status == 200, "\(response.text)")
      return try response.decode([ConflictView].self)
    }

    func conflict(_ id: Int64) throws -> ConflictView {
      let response = try get("/v1/conflicts/\(id)")
      try #require(response.status == 200, "\(response.text)")
      return try response.decode(ConflictView.self)
    }

    func audit(_ query: String = "") throws -> [AuditEntry] {
      let response = try get("/v1/audit" + query)
      try #require(response.status == 200, "\(response.text)")
      return try response.decode([AuditEntry].self)
    }

    /// Row counts read through a connection of the test's own, not the server's.
    func counts() throws -> Counts {
      let database = try Database(path: HubServer.databasePath(in: directory))
      defer { database.close() }
      func count(_ sql: String) throws -> Int64 { try #require(try database.prepare("SELECT count(*) FROM \(sql)").firstRow()).int64(0) }
      return Counts(
        changes: try count("changes"), versions: try count("versions"), records: try count("records"),
        openConflicts: try count("conflicts WHERE status = 'open'"), resolvedConflicts: try count("conflicts WHERE status = 'resolved'"),
        resolutions: try count("audit WHERE action = 'resolve'"),
        refusals: try #require(
          try database.prepare("SELECT coalesce(sum(coalesce(json_extract(detail, '$.count'), 1)), 0) FROM audit WHERE action = 'refuse'")
            .firstRow()
        ).int64(0))
    }

    /// What a refused request must leave as it was: the tables, the conflict as an
    /// administrator sees it, and the feed as a site pulls it.
    struct Snapshot: Equatable {
      var counts: Counts
      var conflict: String
      var feed: PullPage

      /// The same hub after `count` more refusals: each is audited, nothing else changes.
      func refused(_ count: Int64) -> Snapshot {
        var after = self
        after.counts.refusals += count
        return after
      }
    }

    func snapshot(of id: Int64) throws -> Snapshot {
      Snapshot(counts: try counts(), conflict: try get("/v1/conflicts/\(id)").text, feed: try pull(as: "kanto"))
    }
  }

  /// Registers ``sites`` in a fresh directory, serves the hub on a free loopback port, runs
  /// `body`, then stops the server and removes the directory.
  func withHub(_ body: (TestHub) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-conflict-review-\(UUID().uuidString)").path
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
      directory: directory, configuration: .init(host: "127.0.0.1", port: 0, headerReadTimeout: .seconds(10)), log: { _ in })
    try server.start()
    defer { server.stop() }
    try body(TestHub(directory: directory, port: try #require(server.port), tokens: tokens))
  }

  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func event(_ scope: String, _ title: String) -> RecordFields {
    ["scope": .string(scope), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  /// A real conflict: the bureau creates Saitama's event, Saitama pulls it, then both
  /// change its venue (and, with `titleToo`, its title) offline and push with their own
  /// tokens, the bureau first.
  struct MadeConflict {
    let id: Int64
    let record: RecordID
    let kanto: Replica
    let saitama: Replica
  }

  func venueConflict(in hub: TestHub, titleToo: Bool = false) throws -> MadeConflict {
    let kanto = try replica("kanto", "kanto-shinetsu")
    let record = try kanto.create(.event, fields: event("11", "在宅医療研修")).recordID
    try hub.push(kanto)
    let saitama = try replica("saitama", "11")
    let page = try hub.pull(as: "saitama")
    try saitama.apply(page.entries, cursor: page.cursor)

    var kantos: RecordFields = ["venue": .text("さいたま市民会館")]
    var saitamas: RecordFields = ["venue": .text("川越市民会館")]
    if titleToo {
      kantos["title"] = .text("在宅医療研修(局)")
      saitamas["title"] = .text("在宅医療研修(県)")
    }
    try kanto.update(record, fields: kantos)
    try saitama.update(record, fields: saitamas)
    #expect(try hub.push(kanto).conflicts.isEmpty)
    let result = try hub.push(saitama)
    try #require(result.conflicts.count == 1, "no conflict was opened: \(result)")
    return MadeConflict(id: result.conflicts[0], record: record, kanto: kanto, saitama: saitama)
  }

  /// Checks an error response: the status, JSON, and the code in `{"error":{"code":…}}`.
  func expectError(
    _ response: LoopbackClient.Response, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
    #expect((try? response.decode(WireError.self))?.error.code == code, "\(response.text)", sourceLocation: sourceLocation)
  }

  func message(_ response: LoopbackClient.Response) -> String {
    (try? response.decode(WireError.self))?.error.message ?? response.text
  }

  // MARK: Who may review

  /// Every review route. The resolve route is sent ``takeSaitama``, which would settle
  /// the conflict ``venueConflict(in:titleToo:)`` makes (conflict 1) if the token allowed it.
  static let reviewRoutes: [(method: String, target: String)] = [
    ("GET", "/v1/conflicts"), ("GET", "/v1/conflicts?status=all"), ("GET", "/v1/conflicts/1"), ("POST", "/v1/conflicts/1/resolve"),
    ("GET", "/v1/audit"),
  ]

  static let takeSaitama = #"{"revision":1,"reason":"県の会場予約を確認した","take":"saitama"}"#

  @Test(arguments: [nil, "Bearer garbage", "Bearer rk_" + String(repeating: "0", count: 64), "Basic a2FudG8tYWRtaW46eA=="])
  func theReviewRoutesAnswer401WithoutAValidToken(authorization: String?) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      for route in Self.reviewRoutes {
        let body = route.method == "POST" ? Array(Self.takeSaitama.utf8) : []
        let response = try hub.request(route.method, route.target, authorization: authorization, body: body)
        expectError(response, 401, "unauthorized")
        #expect(response.headers["WWW-Authenticate"] == #"Bearer realm="renkei-hub""#, "\(route)")
      }
      #expect(try hub.snapshot(of: made.id) == before.refused(Int64(Self.reviewRoutes.count)))
    }
  }

  @Test(arguments: ["saitama", "yamanashi", "kanto"])
  func theReviewRoutesAnswer403ToPrefectureAndBureauTokens(site: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      for route in Self.reviewRoutes {
        let body = route.method == "POST" ? Array(Self.takeSaitama.utf8) : []
        let response = try hub.request(route.method, route.target, authorization: hub.bearer(site), body: body)
        expectError(response, 403, "forbidden")
        #expect(message(response).contains("admin"), "\(route): \(message(response))")
      }
      // The role is checked before the id: a bad id tells a prefecture nothing either.
      expectError(try hub.get("/v1/conflicts/abc", as: site), 403, "forbidden")
      expectError(try hub.get("/v1/conflicts/999", as: site), 403, "forbidden")
      #expect(try hub.snapshot(of: made.id) == before.refused(Int64(Self.reviewRoutes.count) + 2))
    }
  }

  @Test func anAdministratorOfAnotherBureauSeesAndSettlesNothingHere() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      let listed = try hub.get("/v1/conflicts?status=all", as: "tohoku-admin")
      #expect(listed.status == 200, "\(listed.text)")
      #expect(try listed.decode([ConflictView].self).isEmpty)
      #expect(try hub.get("/v1/conflicts?scope=11", as: "tohoku-admin").decode([ConflictView].self).isEmpty)
      expectError(try hub.get("/v1/conflicts/\(made.id)", as: "tohoku-admin"), 404, "not-found")
      expectError(try hub.resolve(made.id, revision: 1, .take(made.saitama.site), reason: "越権", as: "tohoku-admin"), 403, "forbidden")
      #expect(try hub.snapshot(of: made.id) == before.refused(2))
    }
  }

  // MARK: Listing and showing

  @Test func theListShowsTheOpenConflictWithItsCollidingField() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let response = try hub.get("/v1/conflicts")
      #expect(response.status == 200, "\(response.text)")
      #expect(response.headers["Content-Type"] == "application/json")
      let listed = try response.decode([ConflictView].self)
      try #require(listed.count == 1)
      #expect(listed[0].id == made.id && listed[0].recordID == made.record)
      #expect(listed[0].kind == .event && listed[0].scope.rawValue == "11" && listed[0].status == "open")
      #expect(listed[0].fields.map(\.field) == ["venue"])
      // The keys as the wire spells them: no resolution while the conflict is open.
      let object = try #require((try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])?.first)
      #expect(
        Set(object.keys) == ["id", "record_id", "kind", "scope", "fields", "base", "sides", "related", "revision", "opened_at", "status"])

      // The filters.
      for query in ["?status=open", "?status=all", "?scope=11", "?kind=event", "?scope=11&kind=event&status=open", "?status"] {
        #expect(try hub.conflicts(query).map(\.id) == [made.id], "\(query)")
      }
      for query in ["?status=resolved", "?scope=19", "?scope=kanto-shinetsu", "?kind=note", "?kind=fund-entry"] {
        #expect(try hub.conflicts(query).isEmpty, "\(query)")
      }
      for query in ["?status=closed", "?status=", "?scope=99", "?scope=Kanto", "?kind=meeting", "?kind="] {
        expectError(try hub.get("/v1/conflicts\(query)"), 400, "bad-request")
      }
    }
  }

  @Test func showingAConflictGivesItsBaseSidesAndRevision() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let shown = try hub.conflict(made.id)
      #expect(shown.id == made.id && shown.recordID == made.record && shown.revision == 1 && shown.status == "open")
      #expect(shown.resolution == nil && shown.related.isEmpty)
      #expect(shown.fields == [FieldConflict(field: "venue", rule: .differentValues)])
      let base = try #require(shown.base)
      #expect(base["title"] == .text("在宅医療研修") && (base["venue"] ?? .null) == .null)
      #expect(shown.sides.count == 2)
      #expect(Set(shown.sides.map(\.stamp.writer)) == [made.kanto.writer, made.saitama.writer])
      #expect(shown.side("kanto")?.state["venue"] == .text("さいたま市民会館"))
      #expect(shown.side("saitama")?.state["venue"] == .text("川越市民会館"))
      #expect(shown.sides.allSatisfy { $0.recordID == made.record && $0.kind == .event && !$0.state.deleted })
      #expect(shown.side("kanto")?.vector.compare(try #require(shown.side("saitama")).vector) == .concurrent)
      #expect(ISO8601DateFormatter().date(from: shown.openedAt) != nil, "\(shown.openedAt)")

      // A later edit joins the conflict and raises its revision.
      try made.kanto.update(made.record, fields: ["venue": .text("大宮ソニックシティ")])
      #expect(try hub.push(made.kanto).conflicts == [made.id])
      let joined = try hub.conflict(made.id)
      #expect(joined.revision == 2)
      #expect(joined.sides.count == 2 && joined.side("kanto")?.state["venue"] == .text("大宮ソニックシティ"))
    }
  }

  @Test(arguments: ["abc", "0", "-1", "1.0", "9223372036854775808"])
  func aConflictIdThatIsNotOneIs400(id: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      expectError(try hub.get("/v1/conflicts/\(id)"), 400, "bad-request")
      expectError(
        try hub.request(
          "POST", "/v1/conflicts/\(id)/resolve", authorization: hub.bearer("kanto-admin"), body: Array(Self.takeSaitama.utf8)), 400,
        "bad-request")
      #expect(try hub.snapshot(of: made.id) == before.refused(2))
    }
  }

  @Test func anUnknownConflictIs404() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      expectError(try hub.get("/v1/conflicts/\(made.id + 1)"), 404, "not-found")
      expectError(try hub.resolve(made.id + 1, revision: 1, .take(made.saitama.site), reason: "ない"), 404, "not-found")
      #expect(try hub.snapshot(of: made.id) == before.refused(2))
    }
  }

  @Test(arguments: [
    ("POST", "/v1/conflicts", "GET, HEAD"), ("DELETE", "/v1/conflicts/1", "GET, HEAD"), ("POST", "/v1/conflicts/1", "GET, HEAD"),
    ("GET", "/v1/conflicts/1/resolve", "POST"), ("PUT", "/v1/conflicts/1/resolve", "POST"), ("POST", "/v1/audit", "GET, HEAD"),
  ])
  func aWrongMethodOnAReviewRouteIs405WithAllow(method: String, target: String, allowed: String) throws {
    try withHub { hub in
      let response = try hub.request(method, target, authorization: nil)
      expectError(response, 405, "method-not-allowed")
      #expect(response.headers["Allow"] == allowed)
    }
  }

  @Test(arguments: ["/v1/conflicts/", "/v1/conflicts/1/", "/v1/conflicts/1/resolve/now", "/v1/conflicts//resolve", "/v1/audit/1"])
  func aPathBesideTheReviewRoutesIs404(target: String) throws {
    try withHub { hub in
      expectError(try hub.request("GET", target, authorization: hub.bearer("kanto-admin")), 404, "not-found")
    }
  }

  // MARK: Resolving

  @Test func aResolutionOfAStaleRevisionIs409AndChangesNothing() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      try made.kanto.update(made.record, fields: ["venue": .text("大宮ソニックシティ")])
      try hub.push(made.kanto)
      let before = try hub.snapshot(of: made.id)
      #expect(try hub.conflict(made.id).revision == 2)

      let stale = try hub.resolve(made.id, revision: 1, .take(made.saitama.site), reason: "県の会場予約を確認した")
      expectError(stale, 409, "invalid-resolution")
      #expect(message(stale).contains("revision"), "\(message(stale))")
      expectError(try hub.resolve(made.id, revision: 3, .take(made.saitama.site), reason: "先走り"), 409, "invalid-resolution")
      #expect(try hub.snapshot(of: made.id) == before.refused(2))
      #expect(try hub.audit().map(\.action) == ["refuse", "refuse"])

      // Decided again on what the conflict now holds, it goes through.
      #expect(try hub.resolve(made.id, revision: 2, .take(made.saitama.site), reason: "県の会場予約を確認した").status == 200)
    }
  }

  @Test func takingASideSettlesTheConflictForEveryReplica() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let shown = try hub.conflict(made.id)
      let reason = "県の会場予約を確認した"

      let response = try hub.resolve(made.id, revision: shown.revision, .take(made.saitama.site), reason: "  \(reason)\n")
      #expect(response.status == 200, "\(response.text)")
      #expect(Set(try response.object().keys) == ["conflict", "version"])
      let answer = try response.decode(ResolveAnswer.self)

      // The new version is the taken side's content, on a vector that includes every side.
      #expect(answer.version.recordID == made.record)
      #expect(answer.version.state == (try #require(shown.side("saitama"))).state)
      for side in shown.sides {
        #expect(answer.version.vector.compare(side.vector) == .after, "\(answer.version.vector) vs \(side.vector)")
      }
      #expect(answer.version.stamp.writer.site.rawValue == "kanto-admin")
      #expect(answer.version.stamp.timestamp > shown.sides.map(\.stamp.timestamp).max()!)

      // The conflict is closed, with who, why and how.
      #expect(answer.conflict.id == made.id && answer.conflict.status == "resolved")
      let note = try #require(answer.conflict.resolution)
      #expect(note.conflictID == made.id && note.resolvedBy.rawValue == "kanto-admin" && note.author == "kanto-admin")
      #expect(note.reason == reason)
      #expect(note.choice == "took saitama's version")
      #expect(try hub.conflict(made.id) == answer.conflict)
      #expect(try hub.conflicts().isEmpty)
      #expect(try hub.conflicts("?status=resolved").map(\.id) == [made.id])

      // A prefecture pulls the resolved version with the note, and no conflict any more.
      let page = try hub.pull(as: "saitama")
      let entry = try #require(page.entries.first { $0.version.recordID == made.record })
      #expect(entry.version == answer.version)
      #expect(entry.conflict == nil)
      #expect(entry.resolution == note)
      let raw = try #require(
        (try hub.get("/v1/pull", as: "saitama").object()["entries"] as? [[String: Any]])?.first {
          ($0["version"] as? [String: Any])?["recordID"] as? String == made.record.rawValue
        })
      #expect(
        Set(try #require(raw["resolution"] as? [String: Any]).keys) == [
          "conflict_id", "resolved_by", "author", "resolved_at", "reason", "choice",
        ])

      // Both replicas adopt it: the bureau's own side gives way to the decision.
      for site in [made.saitama, made.kanto] {
        let feed = try hub.pull(as: site.site.rawValue)
        try site.apply(feed.entries, cursor: feed.cursor)
        let stored = try #require(try site.record(made.record))
        #expect(stored.state["venue"] == .text("川越市民会館"), "\(site.site)")
        #expect(stored.conflict == nil && stored.resolution == note, "\(site.site)")
      }

      // Once is enough.
      let before = try hub.snapshot(of: made.id)
      let again = try hub.resolve(made.id, revision: shown.revision, .take(made.kanto.site), reason: "やはり局の会場")
      expectError(again, 409, "invalid-resolution")
      #expect(message(again).contains("already resolved"), "\(message(again))")
      #expect(try hub.snapshot(of: made.id) == before.refused(1))
    }
  }

  @Test func aFieldByFieldChoiceMustNameEveryCollidingField() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub, titleToo: true)
      let shown = try hub.conflict(made.id)
      #expect(Set(shown.fields.map(\.field)) == ["title", "venue"])
      let before = try hub.snapshot(of: made.id)

      let missing = try hub.resolve(made.id, revision: 1, .fields(["venue": made.kanto.site]), reason: "会場は局")
      expectError(missing, 409, "invalid-resolution")
      #expect(message(missing).contains("missing: title"), "\(message(missing))")
      let yamanashi = SiteID(rawValue: "yamanashi")!
      expectError(
        try hub.resolve(made.id, revision: 1, .fields(["venue": yamanashi, "title": made.kanto.site]), reason: "山梨？"), 409,
        "invalid-resolution")
      expectError(
        try hub.resolve(
          made.id, revision: 1, .fields(["venue": made.kanto.site, "title": made.kanto.site, "colour": made.kanto.site]), reason: "色"),
        409, "invalid-resolution")
      #expect(try hub.snapshot(of: made.id) == before.refused(3))

      let settled = try hub.resolve(
        made.id, revision: 1, .fields(["venue": made.kanto.site, "title": made.saitama.site]), reason: "会場は局、題は県")
      #expect(settled.status == 200, "\(settled.text)")
      let version = try settled.decode(ResolveAnswer.self).version
      #expect(version.state["venue"] == .text("さいたま市民会館"))
      #expect(version.state["title"] == .text("在宅医療研修(県)"))
      #expect(!version.state.deleted)
    }
  }

  @Test(arguments: ["yamanashi", "kanto-admin", "tohoku-admin"])
  func takingASiteThatIsNotASideIs409(site: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      let response = try hub.resolve(made.id, revision: 1, .take(SiteID(rawValue: site)!), reason: "誤り")
      expectError(response, 409, "invalid-resolution")
      #expect(message(response).contains("not a side"), "\(message(response))")
      #expect(try hub.snapshot(of: made.id) == before.refused(1))
    }
  }

  /// Records written by the administrator that cannot stand: a refusal each, nothing changed.
  @Test(arguments: [
    (#"{"title":""}"#, 409, "invalid-resolution"),
    (#"{"ends_on":"2023-07-01"}"#, 409, "invalid-resolution"),
    (#"{"starts_on":"2023-07-32"}"#, 409, "invalid-resolution"),
    (#"{"scope":"19"}"#, 409, "invalid-resolution"),
    (#"{"colour":"赤"}"#, 409, "invalid-resolution"),
    // Valid once normalised, but a resolution is stored as a change and must be in normal form.
    (#"{"title":" 在宅医療研修 "}"#, 422, "invalid-change"),
  ])
  func aWrittenRecordThatIsNotValidChangesNothing(record: String, status: Int, code: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      let response = try hub.resolve(made.id, json: #"{"revision":1,"reason":"局で書き直す","record":\#(record)}"#)
      expectError(response, status, code)
      #expect(try hub.snapshot(of: made.id) == before.refused(1))
      #expect(
        try hub.audit().map { [$0.action, $0.actor, $0.detail["code"], $0.detail["route"]] }
          == [["refuse", "kanto-admin", code, "POST /v1/conflicts/{id}/resolve"]])
    }
  }

  @Test func aWrittenRecordOverridesTheMergedValues() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let response = try hub.resolve(made.id, revision: 1, .record(["venue": .text("オンライン開催")]), reason: "両会場とも取り消し")
      #expect(response.status == 200, "\(response.text)")
      let answer = try response.decode(ResolveAnswer.self)
      #expect(answer.version.state["venue"] == .text("オンライン開催"))
      #expect(answer.version.state["title"] == .text("在宅医療研修"))
      #expect(answer.conflict.resolution?.choice == "edited by the administrator (venue)")
    }
  }

  @Test(arguments: [
    "", "{not json", "{}", "[]", #"{"revision":1,"reason":"x"}"#, #"{"reason":"x","take":"saitama"}"#,
    #"{"revision":1,"take":"saitama"}"#, #"{"revision":"1","reason":"x","take":"saitama"}"#,
    #"{"revision":1,"reason":"x","take":"saitama","fields":{"venue":"kanto"}}"#, #"{"revision":1,"reason":"x","fields":{}}"#,
    #"{"revision":1,"reason":"x","record":{}}"#, #"{"revision":1,"reason":"x","take":"Saitama Prefecture"}"#,
    #"{"revision":1,"reason":"x","record":{"venue":true}}"#, #"{"revision":1,"reason":"x","take":"saitama","note":"x"}"#,
  ])
  func aBodyThatIsNotAResolutionIs400(body: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      expectError(try hub.resolve(made.id, json: body), 400, "bad-request")
      #expect(try hub.snapshot(of: made.id) == before.refused(1))
    }
  }

  @Test(arguments: ["", "   ", "\n\t"])
  func aResolutionWithoutAReasonIs409(reason: String) throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      expectError(try hub.resolve(made.id, revision: 1, .take(made.saitama.site), reason: reason), 409, "invalid-resolution")
      #expect(try hub.snapshot(of: made.id) == before.refused(1))
    }
  }

  // MARK: Audit

  @Test func theAuditListsResolutionsAndRefusedPushes() throws {
    try withHub { hub in
      #expect(try hub.audit().isEmpty)
      let made = try venueConflict(in: hub)
      let reason = "県の会場予約を確認した"
      let resolved = try hub.resolve(made.id, revision: 1, .take(made.saitama.site), reason: reason)
      #expect(resolved.status == 200, "\(resolved.text)")
      let version = try resolved.decode(ResolveAnswer.self).version

      // A replica under Saitama's name holding Yamanashi's scope: its push is refused whole.
      let rogue = try replica("saitama", "19")
      try rogue.create(.event, fields: event("19", "よその研修"))
      let refused = try hub.request(
        "POST", "/v1/push", authorization: hub.bearer("saitama"),
        body: Array(try JSONEncoder().encode(PushRequest(changes: try rogue.pendingChanges()))))
      expectError(refused, 403, "forbidden")

      let response = try hub.get("/v1/audit")
      #expect(response.status == 200, "\(response.text)")
      let entries = try response.decode([AuditEntry].self)
      try #require(entries.count == 2, "\(entries)")
      let (resolution, refusal) = (entries[0], entries[1])
      #expect(resolution.id < refusal.id && resolution.at <= refusal.at)

      #expect(resolution.action == "resolve" && resolution.actor == "kanto-admin")
      #expect(resolution.recordID == made.record.rawValue && resolution.conflictID == made.id)
      #expect(resolution.reason == reason)
      #expect(resolution.detail["choice"] == "took saitama's version" && resolution.detail["revision"] == "1")
      #expect(resolution.detail["vector"] == version.vector.description)

      #expect(refusal.action == "refuse" && refusal.actor == "saitama")
      #expect(refusal.recordID == nil && refusal.conflictID == nil)
      #expect(refusal.reason == message(refused))
      #expect(refusal.reason.contains("outside"), "\(refusal.reason)")
      #expect(refusal.detail == ["code": "forbidden", "route": "POST /v1/push", "changes": "1", "first": "saitama.1#1"])
      // Each entry belongs to a scope: the conflict's for a resolution, the acting site's for a refusal.
      let saitamasScope = try Scope("11")
      #expect(resolution.scope == saitamasScope && refusal.scope == saitamasScope)

      // The keys as the wire spells them; a refusal names no record or conflict.
      let objects = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]])
      #expect(Set(objects[0].keys) == ["id", "at", "actor", "action", "record_id", "conflict_id", "scope", "reason", "detail"])
      #expect(Set(objects[1].keys) == ["id", "at", "actor", "action", "scope", "reason", "detail"])
      #expect(ISO8601DateFormatter().date(from: resolution.at) != nil, "\(resolution.at)")

      // The filters.
      #expect(try hub.audit("?record=\(made.record.rawValue)") == [resolution])
      #expect(try hub.audit("?record=no-such-record").isEmpty)
      #expect(try hub.audit("?since=2000-01-01") == entries)
      #expect(try hub.audit("?since=\(resolution.at)") == entries)
      #expect(try hub.audit("?since=9999").isEmpty)
      // Another bureau's administrator reads none of Kantō-Shin'etsu's entries.
      let elsewhere = try hub.get("/v1/audit", as: "tohoku-admin")
      #expect(elsewhere.status == 200, "\(elsewhere.text)")
      #expect(try elsewhere.decode([AuditEntry].self).isEmpty)
      expectError(try hub.get("/v1/audit?record=Not_An_Id"), 400, "bad-request")
    }
  }

  @Test func aRefusedResolutionIsAuditedAsARefusalAndResolvesNothing() throws {
    try withHub { hub in
      let made = try venueConflict(in: hub)
      let refused = try hub.resolve(made.id, revision: 1, .take(SiteID(rawValue: "yamanashi")!), reason: "誤り")
      expectError(refused, 409, "invalid-resolution")
      let entries = try hub.audit()
      try #require(entries.count == 1, "\(entries)")
      #expect(entries[0].action == "refuse" && entries[0].actor == "kanto-admin" && entries[0].reason == message(refused))
      #expect(
        entries[0].detail == ["code": "invalid-resolution", "route": "POST /v1/conflicts/{id}/resolve", "conflict": String(made.id)])
      #expect(try hub.conflict(made.id).status == "open")
    }
  }
}

// MARK: - Edit against delete, in the hub library

/// A record one site deleted while another edited it, settled in the library without HTTP:
/// taking the editing side brings the record back, taking the deleting side leaves a
/// tombstone — whichever of the two edits was the latest, and so the provisional winner.
@Suite struct EditAgainstDeleteResolutionTests {
  struct Setup {
    let hub: Hub
    let administrator: SiteRegistration
    let record: RecordID
    let conflict: HubConflict
    let kanto: Replica
    let saitama: Replica
  }

  /// The bureau creates Saitama's event; Saitama pulls it; then the bureau deletes it and
  /// Saitama changes its venue, the delete later than the edit when `deleteIsLatest`.
  func editAgainstDelete(deleteIsLatest: Bool) throws -> Setup {
    let hub = try Hub(path: ":memory:")
    _ = try hub.addSite(SiteID(rawValue: "kanto-admin")!, role: .admin, scope: Scope("kanto-shinetsu"))
    let administrator = try #require(try hub.site(named: SiteID(rawValue: "kanto-admin")!))
    // Clocks set by the test, so the order of the two edits is its choice: the create at
    // `start`, the two edits one and two seconds later.
    let start = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
    let kanto = try Replica.create(
      at: ":memory:", site: SiteID(rawValue: "kanto")!, scope: Scope("kanto-shinetsu"), author: "kanto", wallClock: { start })
    let saitama = try Replica.create(
      at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "saitama", wallClock: { start })

    let record = try kanto.create(
      .event, fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .text("在宅医療研修"), "starts_on": .string("2023-07-06")]
    ).recordID
    try kanto.acknowledge(through: try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope).acknowledgedSequence)
    let page = try hub.pull(for: saitama.scope, after: 0, limit: 100)
    try saitama.apply(page.entries, cursor: page.cursor)

    let (deleteTime, editTime) = deleteIsLatest ? (start + 2000, start + 1000) : (start + 1000, start + 2000)
    kanto.wallClock = { deleteTime }
    saitama.wallClock = { editTime }
    try kanto.delete(record)
    try saitama.update(record, fields: ["venue": .text("川越市民会館")])
    try hub.push(try kanto.pendingChanges(), from: kanto.site, scope: kanto.scope)
    let result = try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    try #require(result.conflicts.count == 1)
    let conflict = try #require(try hub.conflict(result.conflicts[0]))
    #expect(conflict.fields.contains(FieldConflict(field: "venue", rule: .editDelete)), "\(conflict.fields)")
    #expect(conflict.sides.count == 2)
    #expect(Merge.canonicalOrder(conflict.sides).last?.state.deleted == deleteIsLatest)
    // The provisional version is the latest side's.
    #expect(try hub.record(record)?.state.deleted == deleteIsLatest)
    return Setup(hub: hub, administrator: administrator, record: record, conflict: conflict, kanto: kanto, saitama: saitama)
  }

  @Test(arguments: [true, false])
  func takingTheEditingSideBringsTheRecordBack(deleteIsLatest: Bool) throws {
    let setup = try editAgainstDelete(deleteIsLatest: deleteIsLatest)
    let version = try setup.hub.resolve(
      conflict: setup.conflict.id, revision: setup.conflict.revision, choice: .take(setup.saitama.site), reason: "研修は予定どおり行う",
      by: setup.administrator)
    #expect(!version.state.deleted)
    #expect(version.state["venue"] == .text("川越市民会館"))
    for side in setup.conflict.sides { #expect(version.vector.compare(side.vector) == .after) }
    let current = try #require(try setup.hub.record(setup.record))
    #expect(current == version)
    #expect(try setup.hub.conflict(setup.conflict.id)?.status == "resolved")
    #expect(try setup.hub.openConflicts().isEmpty)
    // Served alive, with the note, to the prefecture.
    let entry = try #require(
      try setup.hub.pull(for: Scope("11"), after: 0, limit: 100).entries.first { $0.version.recordID == setup.record })
    #expect(!entry.version.state.deleted && entry.conflict == nil && entry.resolution?.reason == "研修は予定どおり行う")
  }

  @Test(arguments: [true, false])
  func takingTheDeletingSideLeavesATombstone(deleteIsLatest: Bool) throws {
    let setup = try editAgainstDelete(deleteIsLatest: deleteIsLatest)
    let version = try setup.hub.resolve(
      conflict: setup.conflict.id, revision: setup.conflict.revision, choice: .take(setup.kanto.site), reason: "研修は中止",
      by: setup.administrator)
    #expect(version.state.deleted)
    for side in setup.conflict.sides { #expect(version.vector.compare(side.vector) == .after) }
    let current = try #require(try setup.hub.record(setup.record))
    #expect(current.state.deleted)
    #expect(current == version)
    #expect(try setup.hub.conflict(setup.conflict.id)?.status == "resolved")
    let entry = try #require(
      try setup.hub.pull(for: Scope("11"), after: 0, limit: 100).entries.first { $0.version.recordID == setup.record })
    #expect(entry.version.state.deleted && entry.conflict == nil && entry.resolution?.reason == "研修は中止")
  }
}
