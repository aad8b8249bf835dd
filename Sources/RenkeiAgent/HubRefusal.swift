import RenkeiCore

/// The hub understood a request and refused it (4xx other than 401), saying why.
public struct HubRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  public let status: Int
  public let error: WireError.Detail

  /// True when the answer held no Renkei error object: another server answered.
  public var isFromAnotherServer: Bool { error.code == "status-\(status)" }

  public var description: String { isFromAnotherServer ? error.message : "the hub refused it (\(status) \(error.code)): \(error.message)" }
}
