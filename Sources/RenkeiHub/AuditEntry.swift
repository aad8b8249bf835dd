import RenkeiCore

/// One line of the hub's audit: a resolution or a refusal — who, when, what, why.
public struct AuditEntry: Sendable, Hashable, Codable {
  public var id: Int64
  /// When it happened; for refusals counted together (``Hub/recordRefusal(actor:scope:reason:detail:coalescing:)``),
  /// when the first of them came.
  public var at: String
  /// The site that acted, or ``Hub/anonymousActor`` for a request no registered site sent.
  public var actor: String
  /// `resolve` or `refuse`.
  public var action: String
  public var recordID: String?
  public var conflictID: Int64?
  /// Whose entry it is: the acting site's scope (a resolution's: the conflict's). An
  /// administrator reads only the entries of its bureau's scopes and those with none.
  public var scope: Scope?
  public var reason: String
  public var detail: [String: String]

  enum CodingKeys: String, CodingKey {
    case id, at, actor, action, scope, reason, detail
    case recordID = "record_id"
    case conflictID = "conflict_id"
  }
}
