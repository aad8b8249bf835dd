extension HTTPRequest {
  /// The decoded value of the first query item called `name` (case-sensitive); nil when
  /// there is no such item or it has no `=`.
  public func queryValue(for name: String) -> String? {
    queryItems.first { $0.name == name }?.value ?? nil
  }

  /// The decoded values of every query item called `name`, in order, skipping items
  /// without `=`.
  public func queryValues(for name: String) -> [String] {
    queryItems.filter { $0.name == name }.compactMap(\.value)
  }
}
