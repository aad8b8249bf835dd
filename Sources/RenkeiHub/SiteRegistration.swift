import RenkeiCore

/// A site the hub knows: its name (the site id its changes carry), role and scope.
public struct SiteRegistration: Sendable, Hashable, Codable {
  public var name: SiteID
  public var role: SiteRole
  public var scope: Scope
  public var createdAt: String
  /// When the token was revoked; a revoked site's requests get 401.
  public var revokedAt: String?
  /// The feed position through which the hub has sent this site every entry it may read,
  /// as of its last pull that reached the feed's end (or bundle reply); 0 before the first.
  /// Compaction waits for it (Hub+Compaction).
  public var pulledThrough: UInt64 = 0
  /// When that pull was, by the hub's clock; nil before the first.
  public var lastPulledAt: String?

  enum CodingKeys: String, CodingKey {
    case name, role, scope
    case createdAt = "created_at"
    case revokedAt = "revoked_at"
    case pulledThrough = "pulled_through"
    case lastPulledAt = "last_pulled_at"
  }

  public var isRevoked: Bool { revokedAt != nil }
}
