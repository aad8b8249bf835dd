import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

@testable import RenkeiHub

/// The authorization matrix (reliability figure 11): every route of the hub × every kind of
/// token × own record or another prefecture's (named in the path, in the body, or hidden
/// in a 100-change batch), over real loopback HTTP against one ``AuthorizationWorld``.
///
/// Every cell must answer as ``matrix`` says. Every refusal must store nothing (the whole
/// database but the audit is compared row by row before and after) and must be in the
/// audit: a new `refuse` entry with the caller, route and code, or — for callers without a
/// live token, whose refusals are counted rather than listed — one more in the count of
/// the entry for that caller, route and code.
@Suite struct AuthorizationMatrixTests {
  static let ok = MatrixOutcome.ok
  static let hidden = MatrixOutcome.hidden
  static let unauthorized = MatrixOutcome.unauthorized
  static let forbidden = MatrixOutcome.forbidden

  /// The expected answers, checkable against the security model of DESIGN.md and the role
  /// table of `Protocol/openapi.yaml`:
  /// - no, a malformed or a revoked token: 401 everywhere but health, which reads no token;
  /// - `prefecture`: its own scope only; another's change is 403 and sinks its whole batch;
  ///   the review routes and the bureau-wide reports are 403;
  /// - `bureau`: every scope of its bureau, nothing of another bureau's; review routes 403;
  /// - `admin`: pulls and reads reports like its bureau, never pushes (403), reviews the
  ///   conflicts and reads the audit of its own bureau only: another bureau's conflict is
  ///   404 to show (its existence is not told) and 403 to resolve; lists leave it out;
  /// - a record's history: every live token may read it where it may pull the record;
  ///   another prefecture's (or bureau's) record is 404, as an unknown one is.
  ///
  /// Columns, in ``MatrixToken`` order:
  /// none, malformed, revoked, prefecture A, prefecture B, bureau, admin.
  static let matrix: [MatrixRow] = [
    MatrixRow("GET /v1/health", .noRecord, [ok, ok, ok, ok, ok, ok, ok]),
    MatrixRow("GET /v1/whoami", .noRecord, [unauthorized, unauthorized, unauthorized, ok, ok, ok, ok]),
    MatrixRow("POST /v1/push", .own, [unauthorized, unauthorized, unauthorized, ok, ok, ok, forbidden]),
    MatrixRow("POST /v1/push", .otherInBody, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, forbidden]),
    MatrixRow("POST /v1/push", .otherInBatch, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, forbidden]),
    MatrixRow("GET /v1/pull", .own, [unauthorized, unauthorized, unauthorized, ok, ok, ok, ok]),
    MatrixRow("GET /v1/pull", .otherListed, [unauthorized, unauthorized, unauthorized, hidden, hidden, hidden, hidden]),
    MatrixRow("GET /v1/conflicts", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, ok]),
    MatrixRow("GET /v1/conflicts", .otherListed, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, hidden]),
    MatrixRow("GET /v1/conflicts", .otherInTarget, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, hidden]),
    MatrixRow("GET /v1/conflicts/{id}", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, ok]),
    MatrixRow(
      "GET /v1/conflicts/{id}", .otherInTarget, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, .notFound]),
    MatrixRow(
      "POST /v1/conflicts/{id}/resolve", .otherInTarget,
      [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, forbidden]),
    MatrixRow(
      "POST /v1/conflicts/{id}/resolve", .otherInBody,
      [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, .invalidResolution]),
    MatrixRow("POST /v1/conflicts/{id}/resolve", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, ok]),
    MatrixRow("GET /v1/audit", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, ok]),
    MatrixRow("GET /v1/audit", .otherListed, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, hidden]),
    MatrixRow("GET /v1/audit", .otherInTarget, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, forbidden, hidden]),
    MatrixRow("GET /v1/records/{id}/history", .own, [unauthorized, unauthorized, unauthorized, ok, ok, ok, ok]),
    MatrixRow(
      "GET /v1/records/{id}/history", .otherInTarget, [unauthorized, unauthorized, unauthorized, .notFound, .notFound, .notFound, .notFound]),
    MatrixRow("GET /reports/schedule", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, ok, ok]),
    MatrixRow("GET /reports/schedule", .otherListed, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, hidden, hidden]),
    MatrixRow("GET /reports/funds", .own, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, ok, ok]),
    MatrixRow("GET /reports/funds", .otherListed, [unauthorized, unauthorized, unauthorized, forbidden, forbidden, hidden, hidden]),
  ]

  @Test func theMatrixCoversEveryRouteOfTheHubAndOnlyThose() {
    let served = Set(HubService.routes.flatMap { path, methods in methods.map { "\($0.rawValue) \(path)" } })
    let rows = Set(Self.matrix.map(\.route))
    #expect(
      rows == served, "routes without a row: \(served.subtracting(rows).sorted()); rows of no route: \(rows.subtracting(served).sorted())")
    #expect(Self.matrix.allSatisfy { $0.outcomes.count == MatrixToken.allCases.count })
    let keys = Self.matrix.map { "\($0.route) \($0.target)" }
    #expect(keys.count == Set(keys).count, "a row is written twice")
  }

  /// What one cell did, for the figure.
  struct CellResult {
    var asExpected: Bool
    var refusal: Bool
    var storedOnRefusal: Bool
    var audited: Bool
  }

  @Test func everyCellAnswersAsTheMatrixSaysStoresNothingOnRefusalAndAuditsEveryRefusal() throws {
    let world = try AuthorizationWorld()
    defer { world.close() }
    var results: [CellResult] = []
    for row in Self.matrix {
      for token in MatrixToken.allCases {
        results.append(try run(row, token, in: world))
      }
    }
    let refusals = results.filter(\.refusal)
    let asExpected = results.filter(\.asExpected).count
    let stored = refusals.filter(\.storedOnRefusal).count
    let audited = refusals.filter(\.audited).count
    #expect(asExpected == results.count)
    #expect(stored == 0)
    #expect(audited == refusals.count)
    print(
      "FIGURE 11 | authorization matrix | \(results.count) cells: \(asExpected) as expected, \(stored) stored on refusal, "
        + "\(audited) refusals audited (of \(refusals.count))")
  }

  /// Sends one cell's request and checks its answer, the database and the audit.
  func run(_ row: MatrixRow, _ token: MatrixToken, in world: AuthorizationWorld) throws -> CellResult {
    let cell = "\(row) × \(token)"
    let expected = row.outcome(for: token)
    let view = try #require(world.perspectives[token])
    let request = try world.request(for: row, token: token)
    let storedBefore = try StoredState.read(databaseAt: world.databasePath)
    let auditBefore = try AuditRow.all(databaseAt: world.databasePath)

    let response = try world.send(request.method, request.target, authorization: world.authorization(token), body: request.body)

    let storedAfter = try StoredState.read(databaseAt: world.databasePath)
    let auditAfter = try AuditRow.all(databaseAt: world.databasePath)
    var result = CellResult(asExpected: false, refusal: expected.isRefusal, storedOnRefusal: false, audited: false)
    switch expected {
    case .refused(let status, let code):
      let answered = (try? response.decode(WireError.self))?.error.code
      result.asExpected = response.status == status && answered == code
      #expect(result.asExpected, "\(cell): expected \(expected), got \(response.status) \(response.text)")
      result.storedOnRefusal = storedAfter != storedBefore
      #expect(!result.storedOnRefusal, "\(cell): a refusal stored \(storedAfter.difference(from: storedBefore))")
      let problem = auditProblem(before: auditBefore, after: auditAfter, token: token, view: view, route: row.route, code: code)
      result.audited = problem == nil
      #expect(problem == nil, "\(cell): \(problem ?? "")")
    case .ok, .hidden:
      let problem = response.status == 200 ? try answerProblem(row, token, view, response, world) : "\(response.status) \(response.text)"
      result.asExpected = problem == nil
      #expect(problem == nil, "\(cell): expected \(expected): \(problem ?? "")")
      let refusalsAdded =
        auditAfter.filter { $0.action == "refuse" }.map(\.count).reduce(0, +)
        - auditBefore.filter { $0.action == "refuse" }.map(\.count).reduce(0, +)
      #expect(refusalsAdded == 0, "\(cell): an answered request was audited as a refusal")
      if row.route.hasPrefix("GET") {
        // A pull that reaches the feed's end notes how far its own site has been sent it.
        let moved = storedAfter.sitesWithPullProgressMoved(since: storedBefore)
        #expect(
          storedAfter.tables == storedBefore.tables && moved.isSubset(of: row.route.contains("/v1/pull") ? [view.site] : []),
          "\(cell): a read stored \(storedAfter.difference(from: storedBefore))")
      }
    }
    return result
  }

  /// Whether the audit gained exactly this refusal: a new entry, or one more in the count
  /// of the entry that counts this caller's refusals of this route with this code.
  func auditProblem(before: [AuditRow], after: [AuditRow], token: MatrixToken, view: MatrixPerspective, route: String, code: String)
    -> String?
  {
    let accountable = [.prefectureA, .prefectureB, .bureau, .admin].contains(token)
    let actor = [.none, .malformed].contains(token) ? Hub.anonymousActor : view.site
    let scope: String? = actor == Hub.anonymousActor ? nil : view.scope
    let old = Dictionary(uniqueKeysWithValues: before.map { ($0.id, $0) })
    let added = after.filter { old[$0.id] == nil }
    let recounted = after.filter { row in old[row.id].map { $0.count != row.count } ?? false }
    func matches(_ row: AuditRow) -> Bool {
      row.action == "refuse" && row.actor == actor && row.scope == scope && row.detail["code"] == code && row.detail["route"] == route
    }
    if added.count == 1, recounted.isEmpty, matches(added[0]) {
      if accountable { return added[0].detail["count"] == nil ? nil : "a live site's refusal was counted, not listed: \(added[0])" }
      return added[0].count == 1 ? nil : "a new counted entry does not start at 1: \(added[0])"
    }
    if added.isEmpty, recounted.count == 1, !accountable, matches(recounted[0]), recounted[0].count == old[recounted[0].id]!.count + 1 {
      return nil
    }
    return "expected one refusal by \(actor) of \(route) with \(code) in the audit; new entries \(added), recounted \(recounted)"
  }

  /// Why an answered request's body is not what its cell promises, or nil.
  func answerProblem(
    _ row: MatrixRow, _ token: MatrixToken, _ view: MatrixPerspective, _ response: LoopbackClient.Response, _ world: AuthorizationWorld
  ) throws -> String? {
    func objects() throws -> [[String: Any]] { (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? [] }
    let text = response.text
    switch (row.route, row.target) {
    case ("GET /v1/health", _):
      return try response.decode(HealthStatus.self).status == "ok" ? nil : text
    case ("GET /v1/whoami", _):
      return try response.decode(WhoAmI.self).site.rawValue == view.site ? nil : text
    case ("POST /v1/push", .own):
      let result = try response.decode(PushResult.self)
      try world.acknowledge(view, through: result.acknowledgedSequence)
      return result.applied == 1 ? nil : "applied \(result.applied): \(text)"
    case ("GET /v1/pull", .own):
      let page = try response.decode(PullPage.self)
      return page.entries.contains { $0.version.recordID == view.ownEvent } ? nil : "its own event was not served"
    case ("GET /v1/pull", .otherListed):
      let page = try response.decode(PullPage.self)
      guard try world.recordExists(view.otherEvent.rawValue) else { return "the hub lacks the other event the cell is about" }
      if let leaked = page.entries.first(where: { $0.version.recordID == view.otherEvent }) { return "served \(leaked.scope)'s event" }
      return page.entries.contains { $0.version.recordID == view.ownEvent } ? nil : "served nothing of its own either"
    case ("GET /v1/conflicts", .own):
      return try objects().contains { ($0["id"] as? Int).map(Int64.init) == view.ownConflict }
        ? nil : "its own conflict is not listed: \(text)"
    case ("GET /v1/conflicts", .otherListed):
      let ids = try objects().compactMap { ($0["id"] as? Int).map(Int64.init) }
      if ids.contains(view.otherConflict) { return "another bureau's conflict is listed" }
      return ids.contains(view.ownConflict) ? nil : "its own conflict is not listed either"
    case ("GET /v1/conflicts", .otherInTarget):
      return try objects().isEmpty ? nil : "asking for another bureau's scope listed \(text)"
    case ("GET /v1/conflicts/{id}", .own):
      return try response.object()["id"] as? Int == Int(view.ownConflict) ? nil : text
    case ("POST /v1/conflicts/{id}/resolve", .own):
      return try world.conflictStatus(view.conflictToSettle) == "resolved" ? nil : "the conflict is still open after \(text)"
    case ("GET /v1/audit", .own):
      let entries = try response.decode([AuditEntry].self)
      guard !entries.isEmpty else { return "the resolution of its own record is not shown" }
      return entries.allSatisfy { $0.recordID == view.ownAuditedRecord.rawValue } ? nil : "entries of other records: \(entries)"
    case ("GET /v1/audit", .otherListed):
      let entries = try response.decode([AuditEntry].self)
      let readable = try Scope(view.scope).readableScopes
      let others = try AuditRow.all(databaseAt: world.databasePath).filter { row in
        row.scope.map { scope in !readable.contains { $0.rawValue == scope } } ?? false
      }
      guard !others.isEmpty else { return "the hub holds no entry of another bureau for the cell to hide" }
      if let leaked = entries.first(where: { entry in entry.scope.map { !readable.contains($0) } ?? false }) { return "shows \(leaked)" }
      if let leaked = entries.first(where: { entry in others.contains { $0.id == entry.id } }) { return "shows \(leaked)" }
      return entries.contains { $0.recordID == view.ownAuditedRecord.rawValue } ? nil : "its own bureau's resolution is not shown"
    case ("GET /v1/audit", .otherInTarget):
      guard try AuditRow.all(databaseAt: world.databasePath).contains(where: { $0.recordID == view.otherAuditedRecord.rawValue }) else {
        return "the hub holds no entry of the other record for the cell to hide"
      }
      return try response.decode([AuditEntry].self).isEmpty ? nil : "shows another bureau's entries: \(text)"
    case ("GET /v1/records/{id}/history", .own):
      let page = try response.decode(RecordHistoryPage.self)
      return page.recordID == view.ownEvent && page.entries.first?.operation == .create ? nil : "not its own event's history: \(text)"
    case ("GET /reports/schedule", .own):
      return text.contains(view.ownEventTitle) ? nil : "the report lacks its own event \(view.ownEventTitle)"
    case ("GET /reports/schedule", .otherListed):
      guard text.contains(view.ownEventTitle) else { return "the report lacks its own event \(view.ownEventTitle)" }
      return text.contains(view.otherEventTitle) ? "the report shows \(view.otherEventTitle)" : nil
    case ("GET /reports/funds", .own):
      return text.contains("data-yen=\"\(view.ownFundYen)\"") ? nil : "the report lacks its own \(view.ownFundYen) yen"
    case ("GET /reports/funds", .otherListed):
      guard text.contains("data-yen=\"\(view.ownFundYen)\"") else { return "the report lacks its own \(view.ownFundYen) yen" }
      return text.contains(String(view.otherFundYen)) || text.contains(String(view.ownFundYen + view.otherFundYen))
        ? "the report counts another bureau's \(view.otherFundYen) yen" : nil
    default:
      return "the matrix promises an answer for \(row) that this test does not check"
    }
  }
}
