import Glibc

/// Why ``HTTPServer/start()`` could not start listening.
public struct HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The step that failed: `resolve`, `socket`, `bind`, `listen`, `start`…
  public let operation: String
  /// The `errno` (or `getaddrinfo` code) reported, when the system reported one.
  public let errorNumber: Int32?
  public let message: String

  public init(operation: String, errorNumber: Int32? = nil, message: String) {
    self.operation = operation
    self.errorNumber = errorNumber
    self.message = message
  }

  /// An error for a failed system call, described by `strerror`.
  static func system(_ operation: String, _ number: Int32 = errno) -> HTTPServerError {
    HTTPServerError(operation: operation, errorNumber: number, message: String(cString: strerror(number)))
  }

  public var description: String { "HTTP server \(operation) failed: \(message)" }
}
