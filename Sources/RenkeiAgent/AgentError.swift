import RenkeiCommandLine
import RenkeiStore

/// Why an agent command failed, in words staff can act on.
public struct AgentError: Error, Sendable, Equatable, CustomStringConvertible, ExitStatusReporting {
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
    /// The replica's disk is full or failing: nothing of the step was saved.
    public static let storage = Code(rawValue: "storage")
  }

  public let code: Code
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }

  /// 74 (EX_IOERR) when the disk failed, so a timer unit can tell it from other failures.
  public var exitCode: ExitCode { code == .storage ? .ioError : .failure }

  /// The replica in `directory` could not be written: says what happened to the disk and
  /// that nothing of the step was kept, so staff know what to do and that retrying is safe.
  public static func storage(_ error: SQLiteError, in directory: String) -> AgentError {
    AgentError(
      .storage,
      "the replica in \(directory) could not be written: \(StorageDiagnosis.explain(error, directory: directory)) (SQLite error \(error.extendedResultCode): \(error.message)). Nothing of this step was saved and the replica is as it was before it; free space on the disk holding \(directory), then run the command again (a sync resumes where it stopped)"
    )
  }
}
