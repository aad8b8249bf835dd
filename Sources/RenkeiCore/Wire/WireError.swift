/// The body of every error the hub answers: `{"error":{"code":…,"message":…}}`, with the
/// sequence the hub expects when the code is `sequence-gap`.
public struct WireError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
  public struct Detail: Sendable, Hashable, Codable {
    public var code: String
    public var message: String
    public var expectedSequence: UInt64?

    enum CodingKeys: String, CodingKey {
      case code, message
      case expectedSequence = "expected_sequence"
    }

    public init(code: String, message: String, expectedSequence: UInt64? = nil) {
      self.code = code
      self.message = message
      self.expectedSequence = expectedSequence
    }
  }

  public var error: Detail

  public init(code: String, message: String, expectedSequence: UInt64? = nil) {
    error = Detail(code: code, message: message, expectedSequence: expectedSequence)
  }

  public var description: String { "\(error.code): \(error.message)" }
}
