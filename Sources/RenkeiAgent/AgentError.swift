/// Why an agent command failed, in words staff can act on.
public struct AgentError: Error, Sendable, Equatable, CustomStringConvertible {
  public struct Code: Sendable, Hashable, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let notInitialised = Code(rawValue: "not-initialised")
    public static let alreadyInitialised = Code(rawValue: "already-initialised")
    public static let damaged = Code(rawValue: "damaged")
    public static let badInput = Code(rawValue: "bad-input")
    /// The hub could not be reached, or answered 5xx, after every retry.
    public static let hubUnreachable = Code(rawValue: "hub-unreachable")
    /// The hub refused the token (401).
    public static let tokenRefused = Code(rawValue: "token-refused")
    /// The hub refused what was sent (403, 409, 422, …).
    public static let refused = Code(rawValue: "refused")
    /// The hub says this replica is someone else than it claims.
    public static let identityMismatch = Code(rawValue: "identity-mismatch")
    public static let busy = Code(rawValue: "busy")
    /// The hub's TLS certificate does not chain to a CA this machine trusts.
    public static let tlsUntrusted = Code(rawValue: "tls-untrusted")
    public static let unknownRecord = Code(rawValue: "unknown-record")
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
