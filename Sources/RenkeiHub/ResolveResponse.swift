import RenkeiCore

/// The answer to a resolution: the conflict as now recorded, and the record's new version.
public struct ResolveResponse: Sendable, Hashable, Encodable {
  public var conflict: HubConflict?
  public var version: RecordVersion
}
