/// What an administrator decided for a conflict.
public enum ResolutionChoice: Sendable, Hashable {
  /// One site's side: its values for every colliding field, or a delete if that side
  /// deleted the record; the fields nobody contested keep their merged values.
  case take(SiteID)
  /// Field by field: each colliding field from the named site's side; every colliding
  /// field must be named. The other fields keep their merged values.
  case fields([String: SiteID])
  /// A record the administrator wrote: these fields over the merged values.
  case record(RecordFields)

  /// The choice in words, for the audit and the replicas.
  public var summary: String {
    switch self {
    case .take(let site): return "took \(site)'s version"
    case .fields(let map): return map.sorted { $0.key < $1.key }.map { "\($0.key) from \($0.value)" }.joined(separator: ", ")
    case .record(let fields): return "edited by the administrator (\(fields.keys.sorted().joined(separator: ", ")))"
    }
  }
}
