/// One line of the hub's audit: a resolution or a refusal — who, when, what, why.
public struct AuditEntry: Sendable, Hashable, Codable {
  public var id: Int64
  public var at: String
  public var actor: String
  /// `resolve` or `refuse`.
  public var action: String
  public var recordID: String?
  public var conflictID: Int64?
  public var reason: String
  public var detail: [String: String]

  enum CodingKeys: String, CodingKey {
    case id, at, actor, action, reason, detail
    case recordID = "record_id"
    case conflictID = "conflict_id"
  }
}
