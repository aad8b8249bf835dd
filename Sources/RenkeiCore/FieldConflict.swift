/// A field the merge could not settle, and the rule that said so.
public struct FieldConflict: Sendable, Hashable, Codable, Comparable {
  public var field: String
  public var rule: ConflictRule

  public init(field: String, rule: ConflictRule) {
    self.field = field
    self.rule = rule
  }

  public static func < (lhs: FieldConflict, rhs: FieldConflict) -> Bool {
    (lhs.field, lhs.rule.rawValue) < (rhs.field, rhs.rule.rawValue)
  }
}
