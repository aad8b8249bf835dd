/// Why compressed input was refused.
///
/// Match on ``kind``; ``message`` is a sentence for people that quotes nothing from the
/// input. Every refusal is final: the input is never partly accepted.
public struct CompressionError: Error, Sendable, Hashable, CustomStringConvertible {
  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { "\(kind): \(message)" }
}
