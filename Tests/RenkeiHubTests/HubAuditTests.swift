import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The audit as the hub library keeps it: refusals counted under a key for an hour, the
/// scope each entry belongs to (given to entries made before scopes existed, too), and the
/// name reserved for callers without a valid token.
@Suite struct HubAuditTests {
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

  /// A hub whose audit was kept before entries had a scope: upgrading gives a resolution its
  /// conflict's scope and a refusal its site's, so each bureau's administrator keeps
  /// reading its own history, and nobody else's.
  @Test func upgradingGivesEarlierEntriesTheirScope() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-audit-\(UUID().uuidString).sqlite").path
    defer {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    do {
      let hub = try Hub(path: path)
      _ = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
      // Back to the schema before step 006, then entries as that hub wrote them.
      try hub.database.execute(
        """
        DROP INDEX audit_scope; DROP INDEX audit_coalesce;
        ALTER TABLE audit DROP COLUMN scope; ALTER TABLE audit DROP COLUMN coalesce_key;
        DELETE FROM renkei_migrations WHERE name = '006-audit-scope-and-coalescing';
        INSERT INTO conflicts(id, record_id, kind, scope, status, fields, sides, opened_at)
          VALUES (7, 'r1', 'event', '19', 'resolved', '[]', '[]', '2024-05-01T09:00:00Z');
        INSERT INTO audit(at, actor, action, record_id, conflict_id, reason, detail)
          VALUES ('2024-05-01T09:00:00Z', 'kanto-admin', 'resolve', 'r1', 7, '確認済み', '{}'),
                 ('2024-05-01T09:01:00Z', 'saitama', 'refuse', NULL, NULL, 'outside', '{}');
        """)
      hub.database.close()
    }
    let upgraded = try Hub(path: path)
    defer { upgraded.database.close() }
    #expect(try upgraded.auditEntries().map(\.scope?.rawValue) == ["19", "11"])
    #expect(try upgraded.auditEntries(readableBy: Scope("kanto-shinetsu")).count == 2)
    #expect(try upgraded.auditEntries(readableBy: Scope("tohoku")).isEmpty)
  }

  @Test func noSiteMayTakeTheAuditsNameForCallersWithoutAToken() throws {
    let hub = try Hub(path: ":memory:")
    #expect(throws: HubError.self) {
      try hub.addSite(SiteID(rawValue: Hub.anonymousActor)!, role: .prefecture, scope: Scope("11"))
    }
    #expect(try hub.sites().isEmpty)
  }
}
