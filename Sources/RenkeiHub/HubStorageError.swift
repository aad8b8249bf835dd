/// The hub's own database holds something the hub never writes: a damaged file, not a
/// fault of the site whose request came upon it. The request fails as a server error and
/// stores nothing; the administrator restores the hub from a backup.
public struct HubStorageError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
