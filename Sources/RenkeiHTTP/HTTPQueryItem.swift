/// One `name=value` pair of a request's query, percent-decoded.
///
/// `+` is kept as a plus sign, not read as a space: the query is decoded by RFC 3986, as
/// `URLComponents` encodes it, not as an HTML form.
public struct HTTPQueryItem: Sendable, Hashable {
  public var name: String
  /// The decoded value; nil when the pair had no `=` (`?verbose`), empty for `?verbose=`.
  public var value: String?

  public init(name: String, value: String?) {
    self.name = name
    self.value = value
  }
}
