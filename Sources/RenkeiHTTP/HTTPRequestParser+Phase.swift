extension HTTPRequestParser {
  /// Where in a request the parser is.
  enum Phase: Sendable, Hashable {
    /// Before the request line: blank lines are skipped here.
    case requestLine
    /// After the request line, reading field lines up to the empty line.
    case fields
    /// After the head, waiting for `bodyLength` bytes of content.
    case body
    /// Refused; `failure` says why.
    case failed
  }
}
