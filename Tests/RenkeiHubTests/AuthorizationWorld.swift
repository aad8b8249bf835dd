import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiStore
import RenkeiTestSupport
import Testing

/// The hub the authorization matrix runs against: a ``HubServer`` on a free loopback port
/// in its own temporary directory, holding records, fund entries, open and resolved
/// conflicts and audit entries in two bureaus, so that every cell has something of its own
/// and something of another prefecture's to ask for.
///
/// Kantō-Shin'etsu: `saitama` (11), `yamanashi` (19), the bureau `kanto`, its administrator
/// `kanto-admin`, and `saitama-retired` (11), revoked. Tōhoku: `aomori` (02), the bureau
/// `tohoku` and `tohoku-admin`, whose records, conflicts and audit entries no Kantō token
/// may see.
final class AuthorizationWorld {
  static let sites: [(name: String, role: SiteRole, scope: String)] = [
    ("saitama", .prefecture, "11"), ("yamanashi", .prefecture, "19"), ("kanto", .bureau, "kanto-shinetsu"),
    ("kanto-admin", .admin, "kanto-shinetsu"), ("saitama-retired", .prefecture, "11"), ("aomori", .prefecture, "02"),
    ("tohoku", .bureau, "tohoku"), ("tohoku-admin", .admin, "tohoku"),
  ]

  let directory: String
  let databasePath: String
  private(set) var server: HubServer?
  private(set) var port = 0
  private var tokens: [String: AccessToken] = [:]
  /// The replicas of the sites that sync; each is kept acknowledged, so its next change
  /// carries the sequence the hub expects.
  private var replicas: [String: Replica] = [:]
  /// The prefecture side of each conflict, which a resolution in the matrix takes.
  private var prefectureSide: [Int64: String] = [:]
  private(set) var perspectives: [MatrixToken: MatrixPerspective] = [:]

  static let ownFundYen: Int64 = 1_234_567
  static let otherFundYen: Int64 = 7_654_321

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-authorization-\(UUID().uuidString)").path
    databasePath = HubServer.databasePath(in: directory)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try build()
  }

  /// Stops the server and removes the directory.
  func close() {
    server?.stop()
    try? FileManager.default.removeItem(atPath: directory)
  }

  // MARK: Building the world

  private func build() throws {
    let hub = try Hub(path: databasePath)
    for site in Self.sites {
      tokens[site.name] = try hub.addSite(SiteID(rawValue: site.name)!, role: site.role, scope: Scope(site.scope))
    }
    try hub.revokeSite(SiteID(rawValue: "saitama-retired")!)
    for site in Self.sites where site.role != .admin && site.name != "saitama-retired" {
      replicas[site.name] = try Replica.create(
        at: ":memory:", site: SiteID(rawValue: site.name)!, scope: Scope(site.scope), author: site.name)
    }

    let titles = ["11": "埼玉の認知症セミナー", "19": "山梨の地域包括ケア会議", "02": "青森の在宅医療研修"]
    let event11 = try replica("saitama").create(.event, fields: Self.event("11", titles["11"]!)).recordID
    let event19 = try replica("yamanashi").create(.event, fields: Self.event("19", titles["19"]!)).recordID
    let event02 = try replica("aomori").create(.event, fields: Self.event("02", titles["02"]!)).recordID
    try replica("saitama").create(.fundEntry, fields: Self.fundEntry("11", Self.ownFundYen))
    try replica("aomori").create(.fundEntry, fields: Self.fundEntry("02", Self.otherFundYen))
    for name in replicas.keys.sorted() { try sync(replica(name), with: hub) }

    let conflict11 = try makeConflict(in: hub, bureau: "kanto", prefecture: "saitama", scope: "11").id
    let conflictToSettle = try makeConflict(in: hub, bureau: "kanto", prefecture: "saitama", scope: "11").id
    let conflict19 = try makeConflict(in: hub, bureau: "kanto", prefecture: "yamanashi", scope: "19").id
    let conflict02 = try makeConflict(in: hub, bureau: "tohoku", prefecture: "aomori", scope: "02").id
    let resolved11 = try makeConflict(in: hub, bureau: "kanto", prefecture: "saitama", scope: "11")
    try hub.resolve(
      conflict: resolved11.id, revision: 1, choice: .take(SiteID(rawValue: "saitama")!), reason: "県の会場予約を確認した",
      by: try #require(try hub.site(named: SiteID(rawValue: "kanto-admin")!)))
    let resolved02 = try makeConflict(in: hub, bureau: "tohoku", prefecture: "aomori", scope: "02")
    try hub.resolve(
      conflict: resolved02.id, revision: 1, choice: .take(SiteID(rawValue: "aomori")!), reason: "県の会場予約を確認した",
      by: try #require(try hub.site(named: SiteID(rawValue: "tohoku-admin")!)))
    hub.database.close()

    let server = try HubServer(
      directory: directory, configuration: .init(host: "127.0.0.1", port: 0, headerReadTimeout: .seconds(10)), log: { _ in })
    try server.start()
    self.server = server
    port = try #require(server.port)

    // A refusal in the other bureau, made through the API like every other: Aomori pushes
    // a change of Iwate's (03). Its audit entry is Tōhoku's, which Kantō's administrator
    // must not see.
    let rogue = try Replica.create(at: ":memory:", site: SiteID(rawValue: "aomori")!, scope: Scope("tohoku"), author: "aomori")
    try rogue.create(.event, fields: Self.event("03", "岩手の研修"))
    var change = try #require(try rogue.pendingChanges().first)
    change.sequence = try hubSequence(of: "aomori") + 1
    let refused = try send("POST", "/v1/push", token: tokens["aomori"], body: Self.pushBody([change]))
    try #require(refused.status == 403, "\(refused.text)")

    let saitamaView = MatrixPerspective(
      site: "saitama", scope: "11", ownEvent: event11, ownEventTitle: titles["11"]!, otherScope: "19", otherEvent: event19,
      otherEventTitle: titles["19"]!, ownConflict: conflict11, conflictToSettle: conflictToSettle, otherConflict: conflict19,
      ownAuditedRecord: resolved11.record, otherAuditedRecord: resolved02.record, ownFundYen: Self.ownFundYen,
      otherFundYen: Self.otherFundYen)
    var retiredView = saitamaView
    retiredView.site = "saitama-retired"
    // Yamanashi has no fund entry and no resolved conflict of its own; the cells that would
    // need one are refused on the role before any record is looked at.
    let yamanashiView = MatrixPerspective(
      site: "yamanashi", scope: "19", ownEvent: event19, ownEventTitle: titles["19"]!, otherScope: "11", otherEvent: event11,
      otherEventTitle: titles["11"]!, ownConflict: conflict19, conflictToSettle: conflict19, otherConflict: conflict11,
      ownAuditedRecord: event19, otherAuditedRecord: resolved11.record, ownFundYen: 0, otherFundYen: Self.ownFundYen)
    var bureauView = saitamaView
    bureauView.site = "kanto"
    bureauView.scope = "kanto-shinetsu"
    bureauView.otherScope = "02"
    bureauView.otherEvent = event02
    bureauView.otherEventTitle = titles["02"]!
    bureauView.otherConflict = conflict02
    var adminView = bureauView
    adminView.site = "kanto-admin"
    perspectives = [
      .none: saitamaView, .malformed: saitamaView, .revoked: retiredView, .prefectureA: saitamaView, .prefectureB: yamanashiView,
      .bureau: bureauView, .admin: adminView,
    ]
  }

  private func replica(_ name: String) throws -> Replica { try #require(replicas[name], "no replica for \(name)") }

  /// Pushes a replica's pending changes through the hub library and pulls what it may read.
  private func sync(_ replica: Replica, with hub: Hub) throws {
    let pending = try replica.pendingChanges()
    if !pending.isEmpty {
      try replica.acknowledge(through: try hub.push(pending, from: replica.site, scope: replica.scope).acknowledgedSequence)
    }
    var cursor = try replica.pullCursor
    while true {
      let page = try hub.pull(for: replica.scope, after: cursor, limit: 5000)
      try replica.apply(page.entries, cursor: page.cursor)
      cursor = page.cursor
      if !page.hasMore { break }
    }
  }

  /// A real conflict: the bureau creates an event in `scope`, the prefecture pulls it,
  /// both change its venue offline and push, the bureau first.
  private func makeConflict(in hub: Hub, bureau: String, prefecture: String, scope: String) throws -> (id: Int64, record: RecordID) {
    let (office, local) = (try replica(bureau), try replica(prefecture))
    let record = try office.create(.event, fields: Self.event(scope, "在宅医療研修")).recordID
    try sync(office, with: hub)
    try sync(local, with: hub)
    try office.update(record, fields: ["venue": .text("厚生局の会議室")])
    try local.update(record, fields: ["venue": .text("県庁の会議室")])
    try sync(office, with: hub)
    let pending = try local.pendingChanges()
    let result = try hub.push(pending, from: local.site, scope: local.scope)
    try local.acknowledge(through: result.acknowledgedSequence)
    try sync(local, with: hub)
    let id = try #require(result.conflicts.first, "no conflict was opened in \(scope)")
    prefectureSide[id] = prefecture
    return (id, record)
  }

  static func event(_ scope: String, _ title: String) -> RecordFields {
    ["scope": .string(scope), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-07-06")]
  }

  static func fundEntry(_ scope: String, _ amount: Int64) -> RecordFields {
    [
      "scope": .string(scope), "programme": .text("地域医療介護総合確保基金 介護従事者確保分"), "kind": .string("deposit"),
      "amount": .integer(amount), "occurred_on": .string("2023-10-02"), "fiscal_year": .integer(2023),
    ]
  }

  static func pushBody(_ changes: [Change]) -> [UInt8] {
    Array((try? JSONEncoder().encode(PushRequest(changes: changes))) ?? Data())
  }

  // MARK: Requests

  /// The `Authorization` value a column sends.
  func authorization(_ token: MatrixToken) -> String? {
    switch token {
    case .none: return nil
    case .malformed: return "Bearer rk_not-a-token"
    case .revoked: return "Bearer \(tokens["saitama-retired"]!.text)"
    case .prefectureA: return "Bearer \(tokens["saitama"]!.text)"
    case .prefectureB: return "Bearer \(tokens["yamanashi"]!.text)"
    case .bureau: return "Bearer \(tokens["kanto"]!.text)"
    case .admin: return "Bearer \(tokens["kanto-admin"]!.text)"
    }
  }

  func send(_ method: String, _ target: String, token: AccessToken?, body: [UInt8] = []) throws -> LoopbackClient.Response {
    try send(method, target, authorization: token.map { "Bearer \($0.text)" }, body: body)
  }

  /// One request on a new connection; a POST carries a JSON body.
  func send(_ method: String, _ target: String, authorization: String?, body: [UInt8] = []) throws -> LoopbackClient.Response {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if let authorization { head += "Authorization: \(authorization)\r\n" }
    if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
    let client = try LoopbackClient(port: port)
    client.send(Array((head + "\r\n").utf8) + body)
    return try #require(client.readResponse(), "no response from the hub to \(method) \(target)")
  }

  /// The request a cell sends: method, request target and body.
  func request(for row: MatrixRow, token: MatrixToken) throws -> (method: String, target: String, body: [UInt8]) {
    let view = try #require(perspectives[token])
    let method = String(row.route.prefix { $0 != " " })
    switch (row.route, row.target) {
    case ("GET /v1/health", _): return (method, "/v1/health", [])
    case ("GET /v1/whoami", _): return (method, "/v1/whoami", [])
    case ("POST /v1/push", .own): return (method, "/v1/push", Self.pushBody([try ownCreate(view, token: token)]))
    case ("POST /v1/push", .otherInBody):
      return (method, "/v1/push", Self.pushBody([try otherEdit(view, sequence: try hubSequence(of: view.site) + 1)]))
    case ("POST /v1/push", .otherInBatch): return (method, "/v1/push", Self.pushBody(try batch(view)))
    case ("GET /v1/pull", _): return (method, "/v1/pull?limit=5000", [])
    case ("GET /v1/conflicts", .otherInTarget): return (method, "/v1/conflicts?status=all&scope=\(view.otherScope)", [])
    case ("GET /v1/conflicts", _): return (method, "/v1/conflicts?status=all", [])
    case ("GET /v1/conflicts/{id}", .own): return (method, "/v1/conflicts/\(view.ownConflict)", [])
    case ("GET /v1/conflicts/{id}", .otherInTarget): return (method, "/v1/conflicts/\(view.otherConflict)", [])
    case ("POST /v1/conflicts/{id}/resolve", .own):
      return (method, "/v1/conflicts/\(view.conflictToSettle)/resolve", try takeBody(view.conflictToSettle))
    case ("POST /v1/conflicts/{id}/resolve", .otherInTarget):
      return (method, "/v1/conflicts/\(view.otherConflict)/resolve", try takeBody(view.otherConflict))
    case ("POST /v1/conflicts/{id}/resolve", .otherInBody):
      // The own conflict, decided by writing the record into another prefecture's scope.
      let body = #"{"revision":\#(try revision(of: view.ownConflict)),"reason":"他県の記録として書き直す","record":{"scope":"\#(view.otherScope)"}}"#
      return (method, "/v1/conflicts/\(view.ownConflict)/resolve", Array(body.utf8))
    case ("GET /v1/audit", .own): return (method, "/v1/audit?record=\(view.ownAuditedRecord.rawValue)", [])
    case ("GET /v1/audit", .otherInTarget): return (method, "/v1/audit?record=\(view.otherAuditedRecord.rawValue)", [])
    case ("GET /v1/audit", _): return (method, "/v1/audit", [])
    case ("GET /v1/records/{id}/history", .own): return (method, "/v1/records/\(view.ownEvent)/history", [])
    case ("GET /v1/records/{id}/history", .otherInTarget): return (method, "/v1/records/\(view.otherEvent)/history", [])
    case ("GET /reports/schedule", _): return (method, "/reports/schedule?fy=2023", [])
    case ("GET /reports/funds", _): return (method, "/reports/funds?fy=2023", [])
    default:
      Issue.record("the matrix has no request for \(row) with \(token)")
      return (method, "/", [])
    }
  }

  private func takeBody(_ conflict: Int64) throws -> [UInt8] {
    let side = try #require(prefectureSide[conflict])
    return Array(#"{"revision":\#(try revision(of: conflict)),"reason":"県の会場予約を確認した","take":"\#(side)"}"#.utf8)
  }

  /// A create in the site's own scope: from the site's replica when the column is the site's
  /// own token (so an accepted push leaves it acknowledged), else from a replica made for
  /// the request, numbered on from the hub's last sequence for the site.
  private func ownCreate(_ view: MatrixPerspective, token: MatrixToken) throws -> Change {
    let title = "自県の研修 \(UUID().uuidString.prefix(8))"
    if [.prefectureA, .prefectureB, .bureau].contains(token) {
      let replica = try replica(view.site)
      return try replica.create(.event, fields: Self.event(replica.scope.rawValue, title))
    }
    let scratch = try Replica.create(at: ":memory:", site: SiteID(rawValue: view.site)!, scope: Scope(view.scope), author: view.site)
    var change = try scratch.create(.event, fields: Self.event(view.scope, title))
    change.sequence = try hubSequence(of: view.site) + 1
    return change
  }

  /// What a rogue replica under the site's name would send to change another prefecture's
  /// event: an edit of the version the hub holds, with the sequence the hub expects next,
  /// so that only the record's scope stands between it and the hub.
  private func otherEdit(_ view: MatrixPerspective, sequence: UInt64) throws -> Change {
    let database = try Database(path: databasePath)
    defer { database.close() }
    let row = try #require(try database.prepare("SELECT vector FROM records WHERE id = ?").firstRow([.text(view.otherEvent.rawValue)]))
    let current = try CanonicalJSON.decode(VersionVector.self, from: try row.string(0))
    let writer = WriterID(site: SiteID(rawValue: view.site)!, epoch: 1)
    return Change(
      origin: writer, sequence: sequence, kind: .event, recordID: view.otherEvent, scope: try Scope(view.otherScope), operation: .update,
      fields: ["title": .text("乗っ取られた研修")], vector: current.incremented(for: writer), author: view.site,
      timestamp: HybridTimestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
  }

  /// 99 creates the site may write and, in the middle, one edit of another prefecture's
  /// event, numbered on from the hub's last sequence for the site.
  private func batch(_ view: MatrixPerspective) throws -> [Change] {
    let scratch = try Replica.create(at: ":memory:", site: SiteID(rawValue: view.site)!, scope: Scope(view.scope), author: view.site)
    for index in 1...99 { try scratch.create(.event, fields: Self.event(view.scope, "一括登録の研修 \(index)")) }
    var changes = try scratch.pendingChanges()
    let first = try hubSequence(of: view.site) + 1
    changes.insert(try otherEdit(view, sequence: 0), at: 50)
    for index in changes.indices { changes[index].sequence = first + UInt64(index) }
    return changes
  }

  // MARK: Reading the hub

  /// The last sequence the hub stored from the site's first epoch.
  func hubSequence(of site: String) throws -> UInt64 {
    let database = try Database(path: databasePath)
    defer { database.close() }
    let row = try database.prepare("SELECT last_sequence FROM writers WHERE site = ? AND epoch = 1").firstRow([.text(site)])
    return UInt64(try row?.int64(0) ?? 0)
  }

  func revision(of conflict: Int64) throws -> Int64 {
    let database = try Database(path: databasePath)
    defer { database.close() }
    return try #require(try database.prepare("SELECT revision FROM conflicts WHERE id = ?").firstRow([.integer(conflict)])).int64(0)
  }

  func conflictStatus(_ conflict: Int64) throws -> String {
    let database = try Database(path: databasePath)
    defer { database.close() }
    return try #require(try database.prepare("SELECT status FROM conflicts WHERE id = ?").firstRow([.integer(conflict)])).string(0)
  }

  func recordExists(_ id: String) throws -> Bool {
    let database = try Database(path: databasePath)
    defer { database.close() }
    return try database.prepare("SELECT 1 FROM records WHERE id = ?").firstRow([.text(id)]) != nil
  }

  /// After a push the hub accepted: the pushing replica acknowledges it, as an agent would.
  func acknowledge(_ view: MatrixPerspective, through sequence: UInt64) throws {
    try replicas[view.site]?.acknowledge(through: sequence)
  }
}
