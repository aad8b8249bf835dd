import Foundation
import RenkeiCore
import RenkeiStore

extension Hub {
  /// The actor of a refused request that no registered site sent: no token, a malformed
  /// one, or one the hub never issued. No site may be registered under this name.
  public static let anonymousActor = "anonymous"

  /// How long refusals that share a coalescing key are counted in one audit entry.
  public static let refusalCoalescingWindow: TimeInterval = 3600

  /// Records a refused request in the audit, in its own transaction: a refused push was
  /// rolled back, but the fact that it came, from whom, and why must stay.
  ///
  /// With a `key`, the refusal is counted in the newest entry with that key made within the
  /// last ``refusalCoalescingWindow`` (its `detail` holds `count` and `last`), or starts
  /// one. ``HubService`` passes a key for requests no live site is accountable for — no
  /// token, a malformed, unknown or revoked one — built only from the actor, the route
  /// template and the error code, never from anything else the caller wrote. However many
  /// such requests arrive, they add at most one entry an hour per actor (anonymous, or one
  /// of the finitely many revoked sites), route and code: a flood from outside cannot grow
  /// the audit faster than the clock. A live site is audited request by request: it was
  /// registered by an administrator, answers for what it sends, and can be revoked.
  public func recordRefusal(actor: String, scope: Scope?, reason: String, detail: [String: String], coalescing key: String? = nil) throws {
    try database.inTransaction {
      guard let key else {
        try audit(actor: actor, action: "refuse", scope: scope, record: nil, conflict: nil, reason: reason, detail: detail)
        return
      }
      let moment = timestamp()
      let windowStart = timestamp(of: now().addingTimeInterval(-Self.refusalCoalescingWindow))
      let open = try database.cachedStatement("SELECT id, detail FROM audit WHERE coalesce_key = ? AND at >= ? ORDER BY id DESC LIMIT 1")
        .firstRow([.text(key), .text(windowStart)])
      if let open {
        var counted = try CanonicalJSON.decode([String: String].self, from: try open.string(1))
        counted["count"] = String((counted["count"].flatMap(Int.init) ?? 1) + 1)
        counted["last"] = moment
        try database.cachedStatement("UPDATE audit SET detail = ? WHERE id = ?")
          .execute([.text(try CanonicalJSON.encode(counted)), .integer(try open.int64(0))])
      } else {
        try audit(
          actor: actor, action: "refuse", scope: scope, record: nil, conflict: nil, reason: reason,
          detail: detail.merging(["count": "1", "last": moment]) { _, counted in counted }, coalescing: key)
      }
    }
  }

  /// The audit, oldest first: every resolution and every refusal.
  ///
  /// With `scope` (an administrator's bureau), only the entries of scopes it may read, and
  /// those of no scope: a refusal no site sent concerns the hub every administrator shares,
  /// and names no record, conflict or site of any bureau (its route is the template, not
  /// the path). Without, every entry, for the operator at the hub's own console.
  public func auditEntries(record: RecordID? = nil, since: String? = nil, readableBy scope: Scope? = nil) throws -> [AuditEntry] {
    var sql = "SELECT id, at, actor, action, record_id, conflict_id, scope, reason, detail FROM audit WHERE 1 = 1"
    var values: [DatabaseValue] = []
    if let record {
      sql += " AND record_id = ?"
      values.append(.text(record.rawValue))
    }
    if let since {
      sql += " AND at >= ?"
      values.append(.text(since))
    }
    if let scope {
      let readable = scope.readableScopes
      sql += " AND (scope IS NULL OR scope IN (\(Array(repeating: "?", count: readable.count).joined(separator: ", "))))"
      values += readable.map { .text($0.rawValue) }
    }
    return try database.prepare(sql + " ORDER BY id").rows(values).map { row in
      AuditEntry(
        id: try row.int64(0), at: try row.string(1), actor: try row.string(2), action: try row.string(3),
        recordID: try row.optionalString(4), conflictID: try row.optionalInt64(5), scope: try row.optionalString(6).map { try Scope($0) },
        reason: try row.string(7), detail: try CanonicalJSON.decode([String: String].self, from: try row.string(8)))
    }
  }

  func audit(
    actor: String, action: String, scope: Scope?, record: RecordID?, conflict: Int64?, reason: String, detail: [String: String],
    coalescing key: String? = nil
  ) throws {
    try database.cachedStatement(
      "INSERT INTO audit(at, actor, action, scope, record_id, conflict_id, reason, detail, coalesce_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ).execute([
      .text(timestamp()), .text(actor), .text(action), scope.map { .text($0.rawValue) } ?? .null,
      record.map { .text($0.rawValue) } ?? .null,
      conflict.map { .integer($0) } ?? .null, .text(reason), .text(try CanonicalJSON.encode(detail)), key.map { .text($0) } ?? .null,
    ])
  }
}
