import RenkeiCore

/// A site the hub knows: its name (the site id its changes carry), role and scope.
public struct SiteRegistration: Sendable, Hashable, Codable {
  public var name: SiteID
  public var role: SiteRole
  public var scope: Scope
  public var createdAt: String
  /// When the token was revoked; a revoked site's requests get 401.
  public var revokedAt: String?

  enum CodingKeys: String, CodingKey {
    case name, role, scope
    case createdAt = "created_at"
    case revokedAt = "revoked_at"
  }

  public var isRevoked: Bool { revokedAt != nil }
}
