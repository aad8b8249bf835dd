extension HTTPHeaders {
  /// Whether any field called `name`, read as a comma-separated list (RFC 9110 §5.6.1),
  /// has an element equal to `token` ignoring ASCII case: e.g. `close` in
  /// `Connection: keep-alive, Close`.
  public func containsToken(_ token: String, inField name: String) -> Bool {
    values(for: name).contains { value in
      value.split(separator: ",").contains { element in
        let trimmed = element.utf8.trimmingOptionalWhitespace()
        return trimmed.elementsEqual(token.utf8) { $0.asciiLowercased == $1.asciiLowercased }
      }
    }
  }
}
