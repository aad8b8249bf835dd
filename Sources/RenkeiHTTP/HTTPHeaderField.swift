/// One header field line: a name and its value, as received or as to be sent.
public struct HTTPHeaderField: Sendable, Hashable {
  /// The field name, with the case it was given in.
  public var name: String
  /// The field value, without leading or trailing whitespace.
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}
