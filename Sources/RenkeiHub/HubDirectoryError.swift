/// The hub's data directory cannot be used as it stands: another hub serves it, or the hub
/// cannot write it. Said before anything is served or changed, in words for the operator.
public struct HubDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
