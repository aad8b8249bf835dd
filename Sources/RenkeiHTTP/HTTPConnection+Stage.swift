extension HTTPConnection {
  /// What the connection is waiting for, which decides the timeout that applies.
  enum Stage: Sendable {
    /// The first byte of a request (idle timeout; the header timeout for the first request).
    case idle
    /// The rest of a request head (header timeout).
    case head
    /// The content (body timeout).
    case body
  }
}
