extension CanonicalJSONReader {
  /// The text is not in the shape the fast path reads; `JSONDecoder` decides what it is
  /// (a value after all, or an error it names).
  public struct Unexpected: Error, Sendable {
    public init() {}
  }
}
