import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiReports
import RenkeiStore
import Synchronization

/// The hub's HTTP API: authenticates each request, checks the token's role, and answers
/// from the ``Hub``. Every route is described in `Protocol/openapi.yaml`.
///
/// The server calls `respond(to:)` from one thread per connection; the hub's one SQLite
/// connection sits behind a mutex, which makes this the single serialising owner STYLE.md
/// asks for. A push is one transaction inside that lock, so a stop between requests can
/// never leave half of one applied.
public final class HubService: Sendable {
  private let hub: Mutex<Hub>
  private let log: @Sendable (String) -> Void
  /// The hub database's checkpoint queue, read without the hub's lock.
  private let checkpointer: BackgroundCheckpointer?
  /// Whether noting how far a site has pulled failed last time, so a run of failures is
  /// logged once.
  private let pullNoteFailing = Mutex<Bool>(false)
  /// The checkpoint failure last written to the log, so each is logged once.
  private let loggedCheckpointFailure = Mutex<String?>(nil)

  /// The most entries one pull page may ask for.
  public static let maxPullLimit = 5000
  public static let defaultPullLimit = 500

  public init(hub: sending Hub, log: @escaping @Sendable (String) -> Void = { _ in }) {
    checkpointer = hub.database.backgroundCheckpointer
    self.hub = Mutex(hub)
    self.log = log
  }

  /// Answers one request. Never throws: every failure becomes a JSON error response, and
  /// every refusal (a 4xx answer) is recorded in the audit.
  public func respond(to request: HTTPRequest) -> HTTPResponse {
    let started = ContinuousClock.now
    var trail = RequestTrail()
    let response: HTTPResponse
    do {
      response = try route(request, trail: &trail)
    } catch let error as WireError {
      trail.refusal = error
      response = Self.render(error, status: Self.status(for: error.error.code))
    } catch {
      // Anything unexpected is the hub's fault: log it whole, tell the client nothing of it,
      // except a disk that is full or failing, which staff can pass on to the bureau.
      log("error: \(request.method.rawValue) \(Self.shown(request.path)): \(error)")
      let problem = (error as? SQLiteError)?.storageProblem
      let message =
        problem.map {
          "the hub could not write its database: \($0). Nothing of this request was stored; tell the hub's administrator, and sync again later"
        } ?? "the hub could not complete the request; its log has the details"
      response = Self.render(WireError(code: "internal-error", message: message), status: .internalServerError)
    }
    let elapsed = ContinuousClock.now - started
    let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    if let refusal = trail.refusal, (400..<500).contains(response.status.code) { audit(refusal, trail) }
    log("\(request.method.rawValue) \(Self.shown(request.path)) \(response.status.code) \(trail.caller.actor) \(milliseconds)ms")
    logCheckpointFailure()
    return response
  }

  /// Tells the log when the hub's file can no longer be brought up to date from its WAL in
  /// the background (see ``BackgroundCheckpointer``), once per failure, and when it can
  /// again. Read, compared and logged under one lock, so two requests cannot log out of
  /// order.
  private func logCheckpointFailure() {
    guard let checkpointer else { return }
    loggedCheckpointFailure.withLock { logged in
      let failure = checkpointer.lastFailure
      guard logged != failure else { return }
      logged = failure
      if let failure {
        log(
          "warning: the hub database's WAL could not be copied back into its file (\(failure)); nothing is lost, "
            + "and until this is fixed the WAL grows to 10,000 pages before a commit copies it back itself")
      } else {
        log("the hub database's WAL is copied back into its file again")
      }
    }
  }

  /// Records a refusal: who (the caller, as far as its token tells), the route, the code and
  /// the message. Refusals of callers without a live token are counted per actor, route and
  /// code rather than listed one by one (``Hub/recordRefusal(actor:scope:reason:detail:coalescing:)``
  /// says why that bounds the audit); the key is built from nothing the caller wrote.
  private func audit(_ refusal: WireError, _ trail: RequestTrail) {
    var detail = trail.detail
    detail["code"] = refusal.error.code
    detail["route"] = trail.route
    let key = trail.caller.isAccountable ? nil : [trail.caller.actor, trail.route, refusal.error.code].joined(separator: " ")
    do {
      try hub.withLock {
        try $0.recordRefusal(
          actor: trail.caller.actor, scope: trail.caller.scope, reason: refusal.error.message, detail: detail, coalescing: key)
      }
    } catch {
      // The refusal stands either way; the log keeps what the audit could not.
      log("error: could not audit the refusal of \(trail.route) from \(trail.caller.actor) (\(refusal)): \(error)")
    }
  }

  /// The longest path the log, an answer or the audit repeats whole: a request head may hold
  /// 64 KiB of path, and each line, answer and audit row would repeat all of it.
  static let longestShownPath = 200

  /// `path` as the log, answers and the audit show it: cut at ``longestShownPath`` bytes.
  static func shown(_ path: String) -> String {
    guard path.utf8.count > longestShownPath else { return path }
    // Request targets are ASCII (the parser refuses anything else), so bytes are characters.
    return String(path.prefix(longestShownPath)) + "… (\(path.utf8.count) bytes)"
  }

  /// The first run of percent-escapes in `path` (`%C3%A9`, or `%2F%2F`), nil when it holds
  /// none.
  static func firstEscapes(in path: String) -> Substring? {
    guard let start = path.firstIndex(of: "%") else { return nil }
    var end = start
    while end < path.endIndex, path[end] == "%", let next = path.index(end, offsetBy: 3, limitedBy: path.endIndex) {
      end = next
    }
    return path[start..<end]
  }

  /// Every path the hub answers and its methods; `Protocol/openapi.yaml` documents exactly
  /// these, and `OpenAPIRouteTests` checks that the two agree. Every GET route answers HEAD
  /// too (``HTTPMethod/isAllowed(by:)``), which neither lists.
  /// A `{name}` segment matches any one segment.
  static let routes: [String: [HTTPMethod]] = [
    "/v1/health": [.get], "/v1/whoami": [.get], "/v1/push": [.post], "/v1/pull": [.get],
    "/v1/conflicts": [.get], "/v1/conflicts/{id}": [.get], "/v1/conflicts/{id}/resolve": [.post], "/v1/audit": [.get],
    "/v1/records/{id}/history": [.get], "/reports/schedule": [.get], "/reports/funds": [.get],
  ]

  /// The route template `path` matches, with the values of its `{…}` segments.
  static func match(_ path: String) -> (template: String, parameters: [String])? {
    let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    for template in routes.keys {
      let pattern = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
      guard pattern.count == segments.count else { continue }
      var parameters: [String] = []
      var matches = true
      for (expected, actual) in zip(pattern, segments) {
        if expected.hasPrefix("{") {
          guard !actual.isEmpty else { matches = false; break }
          parameters.append(String(actual))
        } else if expected != actual {
          matches = false
          break
        }
      }
      if matches { return (template, parameters) }
    }
    return nil
  }

  private func route(_ received: HTTPRequest, trail: inout RequestTrail) throws -> HTTPResponse {
    var request = received
    // An id sent percent-encoded is the same id (RFC 3986 §2.3). Every route and id is made of
    // unreserved characters only, so a path that still holds an escape names nothing here;
    // decoding it would only let `%2F` pass for a separator, or put a control character into
    // a message and the audit.
    let path = request.normalizedPath
    if let escape = Self.firstEscapes(in: path) {
      throw WireError(
        code: "bad-request",
        message: "the path \(Self.shown(request.path)) percent-encodes \(escape.prefix(12))\(escape.count > 12 ? "…" : ""), which no path of the hub holds: "
          + "record and conflict ids are lowercase letters, digits and '-'")
    }
    guard let (template, parameters) = Self.match(path), let methods = Self.routes[template] else {
      throw WireError(code: "not-found", message: "no route \(Self.shown(request.path)); see Protocol/openapi.yaml")
    }
    trail.route = "\(request.method.rawValue) \(template)"
    // HEAD runs a GET route as GET; the server sends its fields without the content.
    guard request.method.isAllowed(by: methods) else {
      let allowed = HTTPMethod.allowFieldValue(for: methods)
      let refusal = WireError(code: "method-not-allowed", message: "\(Self.shown(request.path)) answers \(allowed) only")
      var response = Self.render(refusal, status: .methodNotAllowed)
      response.headers.replaceOrAdd(name: "Allow", value: allowed)
      trail.refusal = refusal
      return response
    }
    if template == "/v1/health" { return try health() }

    let registration = try authenticate(request, trail: &trail)
    // Only now, for a known route and a live token, is gzip-coded content worth decoding
    // (HubServer leaves it to this point): it may take the whole body limit in memory.
    do {
      request = try request.decodingContent()
    } catch {
      trail.refusal = WireError(code: error.code, message: error.message)
      return HTTPContentCoding.refusal(error)
    }
    if let id = parameters.first { trail.detail[template.hasPrefix("/v1/records/") ? "record" : "conflict"] = Self.shown(id) }
    switch template {
    case "/v1/whoami": return try whoami(registration)
    case "/v1/push": return try push(request, from: registration, trail: &trail)
    case "/v1/pull": return try pull(request, for: registration)
    case "/v1/records/{id}/history": return try recordHistory(parameters[0], for: registration)
    case "/reports/schedule", "/reports/funds": return try report(request, template: template, for: registration)
    default: return try administer(request, template: template, parameters: parameters, by: registration)
    }
  }

  // MARK: Reports (bureau and admin tokens)

  /// The bureau-wide schedule or fund report as a self-contained HTML page, read-only.
  private func report(_ request: HTTPRequest, template: String, for registration: SiteRegistration) throws -> HTTPResponse {
    guard registration.role != .prefecture else {
      throw WireError(code: "forbidden", message: "the bureau-wide reports are for bureau and admin tokens; a prefecture makes its own with renkei report")
    }
    guard let text = request.queryValue(for: "fy"), let year = Int(text), (1989...2200).contains(year) else {
      throw WireError(code: "bad-request", message: "give the fiscal year as ?fy=2023")
    }
    let fiscalYear = FiscalYear(year)
    let records = try hub.withLock { try $0.currentRecords(readableBy: registration.scope) }
    let html: String
    if template == "/reports/schedule" {
      let events = records.compactMap { record -> Event? in
        if case .event(let event) = record { return event }
        return nil
      }
      html = ScheduleReport(fiscalYear: fiscalYear, events: events, today: Self.today(), bureau: registration.scope.bureau).html()
    } else {
      let entries = records.compactMap { record -> FundEntry? in
        if case .fundEntry(let entry) = record { return entry }
        return nil
      }
      html = FundsReport(fiscalYear: fiscalYear, entries: entries, bureau: registration.scope.bureau, asOf: Self.today()).html()
    }
    return HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"], body: Array(html.utf8))
  }

  static func today(_ now: Date = Date()) -> RecordDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
    let parts = calendar.dateComponents([.year, .month, .day], from: now)
    return (try? RecordDate(year: parts.year!, month: parts.month!, day: parts.day!)) ?? (try! RecordDate(iso: "2000-01-01"))
  }

  // MARK: Conflict review (admin tokens only)

  private func administer(_ request: HTTPRequest, template: String, parameters: [String], by registration: SiteRegistration) throws -> HTTPResponse {
    guard registration.role == .admin else {
      throw WireError(code: "forbidden", message: "conflict review needs an admin token; \(registration.name) is a \(registration.role.rawValue) site")
    }
    func conflictID() throws -> Int64 {
      guard let id = Int64(parameters[0]), id > 0 else { throw WireError(code: "bad-request", message: "\(parameters[0]) is not a conflict id") }
      return id
    }
    do {
      switch template {
      case "/v1/conflicts":
        var filter = ConflictFilter(status: request.queryValue(for: "status") ?? "open")
        guard ["open", "resolved", "all"].contains(filter.status) else {
          throw WireError(code: "bad-request", message: "status must be open, resolved or all")
        }
        if let scope = request.queryValue(for: "scope") {
          do { filter.scope = try Scope(scope) } catch { throw WireError(code: "bad-request", message: "\(error)") }
        }
        if let kind = request.queryValue(for: "kind") {
          guard let value = RecordKind(rawValue: kind) else { throw WireError(code: "bad-request", message: "kind must be event, fund-entry or note") }
          filter.kind = value
        }
        let found = try hub.withLock { try $0.conflicts(filter).filter { registration.scope.canRead($0.scope) } }
        return Self.json(found)
      case "/v1/conflicts/{id}":
        let id = try conflictID()
        guard let found = try hub.withLock({ try $0.conflict(id) }), registration.scope.canRead(found.scope) else {
          throw WireError(code: "not-found", message: "no conflict #\(id)")
        }
        return Self.json(found)
      case "/v1/conflicts/{id}/resolve":
        let id = try conflictID()
        try Self.requireJSON(request)
        let body: ResolveRequest
        do { body = try JSONDecoder().decode(ResolveRequest.self, from: request.bodyData) } catch {
          throw WireError(code: "bad-request", message: "the body is not a resolution: \(Self.describe(error))")
        }
        let choice = try body.choice()
        let version = try hub.withLock { try $0.resolve(conflict: id, revision: body.revision, choice: choice, reason: body.reason, by: registration) }
        let settled = try hub.withLock { try $0.conflict(id) }
        return Self.json(ResolveResponse(conflict: settled, version: version))
      default:
        let record = try request.queryValue(for: "record").map { raw in
          do { return try RecordID(raw) } catch { throw WireError(code: "bad-request", message: "\(raw) is not a record id") }
        }
        let since = request.queryValue(for: "since")
        return Self.json(try hub.withLock { try $0.auditEntries(record: record, since: since, readableBy: registration.scope) })
      }
    } catch let error as HubError {
      throw WireError(code: error.code.rawValue, message: error.message)
    }
  }

  // MARK: Routes

  private func health() throws -> HTTPResponse {
    try hub.withLock { try $0.database.execute("SELECT 1") }
    return Self.json(HealthStatus(status: "ok", version: RenkeiVersion.current, sqlite: Database.sqliteVersion))
  }

  /// Any token reads the history of a record it may pull; another scope's record is 404 as
  /// an unknown one is, so its existence is not told.
  private func recordHistory(_ raw: String, for registration: SiteRegistration) throws -> HTTPResponse {
    let id: RecordID
    do { id = try RecordID(raw) } catch { throw WireError(code: "bad-request", message: "\(Self.shown(raw)) is not a record id") }
    guard let page = try hub.withLock({ try $0.storedRecordHistory(of: id, readableBy: registration.scope) }) else {
      throw WireError(code: "not-found", message: "no record \(id) in scope \(registration.scope)")
    }
    return Self.json(page())
  }

  private func whoami(_ registration: SiteRegistration) throws -> HTTPResponse {
    let epoch = try hub.withLock { try $0.latestEpoch(of: registration.name) }
    return Self.json(WhoAmI(site: registration.name, role: registration.role, scope: registration.scope, latestEpoch: epoch))
  }

  private func push(_ request: HTTPRequest, from registration: SiteRegistration, trail: inout RequestTrail) throws -> HTTPResponse {
    guard registration.role != .admin else {
      throw WireError(code: "forbidden", message: "an admin token reviews conflicts; it cannot push changes (site \(registration.name))")
    }
    try Self.requireJSON(request)
    let body: PushRequest
    do {
      body = try CanonicalJSON.decode(PushRequest.self, from: request.bodyData)
    } catch {
      throw WireError(code: "bad-request", message: "the push body is not a valid push: \(Self.describe(error))")
    }
    trail.detail["changes"] = String(body.changes.count)
    trail.detail["first"] = body.changes.first.map { "\($0.origin)#\($0.sequence)" } ?? "-"
    do {
      let result = try hub.withLock { try $0.push(body.changes, from: registration.name, scope: registration.scope) }
      return Self.json(result)
    } catch let error as HubError {
      // The refused push was rolled back whole; `respond` audits that it came, and why.
      throw WireError(code: error.code.rawValue, message: error.message, expectedSequence: error.expectedSequence)
    }
  }

  private func pull(_ request: HTTPRequest, for registration: SiteRegistration) throws -> HTTPResponse {
    let after = try Self.integer(request, "after", default: 0, in: 0...UInt64(Int64.max))
    let limit = try Self.integer(request, "limit", default: UInt64(Self.defaultPullLimit), in: 1...UInt64(Self.maxPullLimit))
    // The cursor the replica has stored: what compaction waits for (SYNC.md 12a). A replica
    // stores pages in order, so it never holds more than it asks after.
    let stored =
      request.queryValues(for: "stored").isEmpty ? nil : try Self.integer(request, "stored", default: 0, in: 0...UInt64(Int64.max))
    let (page, note) = try hub.withLock { hub in
      let page = try hub.pullAnswer(for: registration.scope, after: after, limit: Int(limit))
      guard !page.hasMore, let stored else { return (page.json, nil as Result<Void, any Error>?) }
      // Noted once a pull reaches the feed's end. Failing to note it only makes compaction
      // wait longer, so the page is served anyway.
      return (page.json, Result { try hub.notePull(of: registration, storedThrough: min(stored, after)) })
    }
    if let note { reportPullNote(note, site: registration.name) }
    return HTTPResponse(json: page)
  }

  /// Logs the first failure to note a pull in a run of them, and the recovery.
  private func reportPullNote(_ note: Result<Void, any Error>, site: SiteID) {
    let failure: (any Error)? = if case .failure(let error) = note { error } else { nil }
    let wasFailing = pullNoteFailing.withLock { failing in
      defer { failing = failure != nil }
      return failing
    }
    if let failure, !wasFailing {
      log("warning: could not note how far \(site) has pulled (compaction waits until it can): \(failure)")
    } else if failure == nil, wasFailing {
      log("noting how far each site has pulled works again")
    }
  }

  // MARK: Authentication

  private func authenticate(_ request: HTTPRequest, trail: inout RequestTrail) throws -> SiteRegistration {
    guard let header = request.headers["Authorization"] else {
      throw WireError(code: "unauthorized", message: "this route needs a token: send Authorization: Bearer <token>")
    }
    let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw WireError(code: "unauthorized", message: "the Authorization header must be Bearer <token>")
    }
    let token = AccessToken(text: String(parts[1]).trimmingCharacters(in: .whitespaces))
    let refusal = WireError(code: "unauthorized", message: "the hub does not accept this token (unknown or revoked)")
    // One message for unknown, malformed and revoked tokens, so a caller learns nothing
    // about which tokens exist; only the audit, which admins read, names a revoked site.
    guard let registration = try hub.withLock({ try $0.registration(presenting: token) }) else { throw refusal }
    guard !registration.isRevoked else {
      trail.caller = .revoked(registration)
      throw refusal
    }
    trail.caller = .site(registration)
    return registration
  }

  // MARK: Rendering

  static func status(for code: String) -> HTTPStatus {
    switch code {
    case "bad-request": return .badRequest
    case "unauthorized": return .unauthorized
    case "forbidden": return .forbidden
    case "not-found": return .notFound
    case "unsupported-media-type": return .unsupportedMediaType
    case HubError.Code.invalidChange.rawValue: return .unprocessableContent
    case HubError.Code.notFound.rawValue: return .notFound
    case HubError.Code.sequenceGap.rawValue, HubError.Code.unknownParent.rawValue, HubError.Code.epochReused.rawValue,
      HubError.Code.invalidSite.rawValue, HubError.Code.invalidResolution.rawValue:
      return .conflict
    default: return .internalServerError
    }
  }

  static func render(_ error: WireError, status: HTTPStatus) -> HTTPResponse {
    var response = json(error, status: status)
    if status == .unauthorized { response.headers.replaceOrAdd(name: "WWW-Authenticate", value: #"Bearer realm="renkei-hub""#) }
    return response
  }

  static func json(_ value: some Encodable, status: HTTPStatus = .ok) -> HTTPResponse {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return HTTPResponse.json(value, status: status, encoder: encoder)
  }

  /// A request body is JSON; a Content-Type that says otherwise is refused with 415.
  private static func requireJSON(_ request: HTTPRequest) throws {
    if let type = request.headers["Content-Type"],
      type.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() != "application/json"
    {
      throw WireError(code: "unsupported-media-type", message: "the body must be application/json, not \(type)")
    }
  }

  private static func integer(_ request: HTTPRequest, _ name: String, default value: UInt64, in range: ClosedRange<UInt64>) throws -> UInt64 {
    let values = request.queryValues(for: name)
    guard let text = values.first else { return value }
    guard values.count == 1, let number = UInt64(text), range.contains(number) else {
      throw WireError(code: "bad-request", message: "\(name) must be one whole number from \(range.lowerBound) to \(range.upperBound), not \(values.joined(separator: ","))")
    }
    return number
  }

  static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
      DecodingError.valueNotFound(_, let context):
      let path = JSONProblem.path(context.codingPath)
      return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    case DecodingError.keyNotFound(let key, let context):
      return "\(JSONProblem.path(context.codingPath + [key])) is missing"
    default: return "\(error)"
    }
  }
}
