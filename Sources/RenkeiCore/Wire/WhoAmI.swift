/// The answer of `GET /v1/whoami`: who the hub takes the token's bearer to be.
public struct WhoAmI: Sendable, Hashable, Codable {
  public var site: SiteID
  public var role: SiteRole
  public var scope: Scope
  /// The highest epoch the hub has received from this site (0 when none): a replica
  /// restored from a backup starts above it.
  public var latestEpoch: UInt32

  enum CodingKeys: String, CodingKey {
    case site, role, scope
    case latestEpoch = "latest_epoch"
  }

  public init(site: SiteID, role: SiteRole, scope: Scope, latestEpoch: UInt32) {
    self.site = site
    self.role = role
    self.scope = scope
    self.latestEpoch = latestEpoch
  }
}
