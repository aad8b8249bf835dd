/// A record that breaks a rule, naming the field and the reason so a person can fix it.
public struct RecordValidationError: Error, Sendable, Equatable, CustomStringConvertible {
  public let field: String
  public let reason: String

  public init(field: String, reason: String) {
    self.field = field
    self.reason = reason
  }

  public var description: String { "\(field): \(reason)" }
}
