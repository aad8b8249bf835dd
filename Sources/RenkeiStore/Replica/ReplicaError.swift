import RenkeiCore

/// Why a replica refused an operation. Every refusal leaves the replica unchanged.
public struct ReplicaError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable {
    case invalidRecord = "invalid-record"
    case unknownRecord = "unknown-record"
    case outOfScope = "out-of-scope"
    case deleted
    case nothingChanged = "nothing-changed"
    case ledgerIsAppendOnly = "ledger-is-append-only"
    case closedYear = "closed-year"
    case notAReplica = "not-a-replica"
    case alreadyExists = "already-exists"
    case badAcknowledgement = "bad-acknowledgement"
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
