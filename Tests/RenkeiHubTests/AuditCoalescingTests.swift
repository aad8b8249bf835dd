import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// The audit as the hub library keeps it: refusals counted under a key for an hour, the
/// scope each entry belongs to, and the name reserved for callers without a valid token.
@Suite struct AuditCoalescingTests {
  static let start = Date(timeIntervalSince1970: 1_700_000_000)

  func refuse(_ hub: Hub, key: String?, route: String = "GET /v1/pull") throws {
    try hub.recordRefusal(
      actor: Hub.anonymousActor, scope: nil, reason: "this route needs a token", detail: ["code": "unauthorized", "route": route],
      coalescing: key)
  }

  func at(_ minutes: Double) -> @Sendable () -> Date {
    let moment = Self.start.addingTimeInterval(minutes * 60)
    return { moment }
  }

  func iso(_ minutes: Double) -> String { ISO8601DateFormatter().string(from: Self.start.addingTimeInterval(minutes * 60)) }

  @Test func refusalsUnderOneKeyAreCountedForAnHourThenStartANewEntry() throws {
    let hub = try Hub(path: ":memory:")
    hub.now = at(0)
    try refuse(hub, key: "anonymous GET /v1/pull unauthorized")
    try refuse(hub, key: "anonymous GET /v1/pull unauthorized")
    hub.now = at(59)
    try refuse(hub, key: "anonymous GET /v1/pull unauthorized")
    var entries = try hub.auditEntries()
    try #require(entries.count == 1, "\(entries)")
    #expect(entries[0].at == iso(0) && entries[0].actor == "anonymous" && entries[0].scope == nil)
    #expect(entries[0].detail == ["code": "unauthorized", "route": "GET /v1/pull", "count": "3", "last": iso(59)])

    // Past the hour from the entry's first refusal, a new entry starts its own count.
    hub.now = at(61)
    try refuse(hub, key: "anonymous GET /v1/pull unauthorized")
    // Another key is another entry; without a key, every refusal is an entry of its own.
    try refuse(hub, key: "anonymous POST /v1/push unauthorized", route: "POST /v1/push")
    try refuse(hub, key: nil)
    try refuse(hub, key: nil)
    entries = try hub.auditEntries()
    #expect(entries.map { $0.detail["count"] } == ["3", "1", "1", nil, nil])
    #expect(entries.map(\.at) == [iso(0), iso(61), iso(61), iso(61), iso(61)])
  }

  @Test func anAdministratorReadsItsBureausEntriesAndThoseOfNoSite() throws {
    let hub = try Hub(path: ":memory:")
    for scope in ["11", "19", "kanto-shinetsu", "02", "tohoku", nil] {
      try hub.recordRefusal(
        actor: scope == nil ? Hub.anonymousActor : "site", scope: try scope.map { try Scope($0) }, reason: "refused", detail: [:])
    }
    func scopes(_ reader: String?) throws -> [String?] {
      try hub.auditEntries(readableBy: try reader.map { try Scope($0) }).map { $0.scope?.rawValue }
    }
    #expect(try scopes("kanto-shinetsu") == ["11", "19", "kanto-shinetsu", nil])
    #expect(try scopes("tohoku") == ["02", "tohoku", nil])
    // The operator at the hub's console reads everything.
    #expect(try scopes(nil) == ["11", "19", "kanto-shinetsu", "02", "tohoku", nil])
  }

  @Test func noSiteMayTakeTheAuditsNameForCallersWithoutAToken() throws {
    let hub = try Hub(path: ":memory:")
    #expect(throws: HubError.self) {
      try hub.addSite(SiteID(rawValue: Hub.anonymousActor)!, role: .prefecture, scope: Scope("11"))
    }
    #expect(try hub.sites().isEmpty)
  }
}
