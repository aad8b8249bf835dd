import RenkeiCore
import RenkeiStore

/// One row of the hub's audit table, read directly (the API filters by bureau; the matrix
/// needs to see every row to tell that a refusal was recorded).
struct AuditRow: Equatable {
  var id: Int64
  var actor: String
  var action: String
  var scope: String?
  var recordID: String?
  var detail: [String: String]

  /// How many refusals the row stands for: more than one once refusals were coalesced.
  var count: Int { detail["count"].flatMap(Int.init) ?? 1 }

  static func all(databaseAt path: String) throws -> [AuditRow] {
    let database = try Database(path: path)
    defer { database.close() }
    return try database.prepare("SELECT id, actor, action, scope, record_id, detail FROM audit ORDER BY id").rows().map { row in
      AuditRow(
        id: try row.int64(0), actor: try row.string(1), action: try row.string(2), scope: try row.optionalString(3),
        recordID: try row.optionalString(4), detail: try CanonicalJSON.decode([String: String].self, from: try row.string(5)))
    }
  }
}
