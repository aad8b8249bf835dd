/// Why something a person typed was refused: a date, a fiscal year or an amount.
///
/// The message quotes the input as typed and says what is wrong with it, so the CLI can
/// print it as is: `"令和5年2月30日" is not a date: 2023-02 has no day 30`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text as the person typed it.
  public let input: String
  /// What the text was meant to be, with its article: "a date", "an amount".
  public let expected: String
  /// What is wrong, in words a person can act on.
  public let reason: String

  public init(input: String, expected: String, reason: String) {
    self.input = input
    self.expected = expected
    self.reason = reason
  }

  /// One line naming the input and the problem.
  public var message: String { "\(input.debugDescription) is not \(expected): \(reason)" }

  public var description: String { message }
}
