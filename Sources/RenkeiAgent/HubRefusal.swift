import RenkeiCore

/// The hub understood a request and refused it (4xx other than 401), saying why.
public struct HubRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  public let status: Int
  public let error: WireError.Detail

  public var description: String { "the hub refused it (\(status) \(error.code)): \(error.message)" }
}
