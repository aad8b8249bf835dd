/// What keeps a hub from starting: its data directory cannot be used as it stands (another
/// hub serves it, the hub cannot write it), or its address cannot be listened on. Said
/// before anything is served or changed, in words for the operator.
public struct HubDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
