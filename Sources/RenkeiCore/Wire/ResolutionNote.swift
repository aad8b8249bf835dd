/// Who resolved a record's conflict, when and why: carried with the resolved version to
/// every replica, so staff see the decision and its reason where they work.
public struct ResolutionNote: Sendable, Hashable, Codable {
  public var conflictID: Int64
  /// The administrator's site.
  public var resolvedBy: SiteID
  public var author: String
  /// ISO 8601.
  public var resolvedAt: String
  public var reason: String
  /// How it was decided, in words: "took saitama's version", "venue from kanto", "edited".
  public var choice: String

  enum CodingKeys: String, CodingKey {
    case conflictID = "conflict_id"
    case resolvedBy = "resolved_by"
    case author
    case resolvedAt = "resolved_at"
    case reason, choice
  }

  public init(conflictID: Int64, resolvedBy: SiteID, author: String, resolvedAt: String, reason: String, choice: String) {
    self.conflictID = conflictID
    self.resolvedBy = resolvedBy
    self.author = author
    self.resolvedAt = resolvedAt
    self.reason = reason
    self.choice = choice
  }
}
