import RenkeiCore

/// Which conflicts a listing shows.
public struct ConflictFilter: Sendable, Hashable {
  /// `open`, `resolved` or `all`.
  public var status: String
  public var scope: Scope?
  public var kind: RecordKind?

  public init(status: String = "open", scope: Scope? = nil, kind: RecordKind? = nil) {
    self.status = status
    self.scope = scope
    self.kind = kind
  }
}
