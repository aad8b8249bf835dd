import RenkeiCore

/// Why the hub refused a push. A refused push stores nothing.
public struct HubError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Code: String, Sendable {
    /// A change is malformed or its record invalid.
    case invalidChange = "invalid-change"
    /// A change skips sequence numbers: something before it was lost.
    case sequenceGap = "sequence-gap"
    /// A change is outside what the pushing site may write.
    case forbidden
    /// A change builds on a version the hub does not have.
    case unknownParent = "unknown-parent"
    /// A change reuses a sequence number with different content: a restored replica that
    /// must take a new epoch.
    case epochReused = "epoch-reused"
    /// A site registration that cannot be made: bad scope for the role, a taken name.
    case invalidSite = "invalid-site"
    /// A resolution that cannot be made: already resolved, changed since, a bad choice.
    case invalidResolution = "invalid-resolution"
    /// No such conflict or record.
    case notFound = "not-found"
  }

  public let code: Code
  public let message: String
  /// For a gap: the sequence number the hub expects next.
  public let expectedSequence: UInt64?

  public init(_ code: Code, _ message: String, expectedSequence: UInt64? = nil) {
    self.code = code
    self.message = message
    self.expectedSequence = expectedSequence
  }

  public var description: String { message }
}
