import Foundation
import RenkeiCore
import RenkeiStore

extension Hub {
  /// Registers a site and returns its token, which is never stored and cannot be shown again.
  public func addSite(_ name: SiteID, role: SiteRole, scope: Scope) throws -> AccessToken {
    if let problem = role.problem(with: scope) { throw HubError(.invalidSite, problem) }
    guard name.rawValue != Self.anonymousActor else {
      throw HubError(.invalidSite, "\(name) is the audit's name for requests without a valid token; choose another name")
    }
    return try database.inTransaction {
      if let existing = try site(named: name) {
        // A name stays with the changes written under it, revoked or not: it is not given out
        // again, so revoking cannot be the way to a fresh token under the same name.
        guard let revokedAt = existing.revokedAt else {
          throw HubError(.invalidSite, "a site named \(name) is already registered; choose another name")
        }
        throw HubError(
          .invalidSite,
          "site \(name) was revoked at \(revokedAt) and its name stays with its changes; "
            + "register the office under a new name (such as \(name)-2) and renkei init its laptop with that token")
      }
      let token = AccessToken.generate()
      try database.cachedStatement(
        "INSERT INTO sites(name, role, scope, token_hash, created_at, bundle_key) VALUES (?, ?, ?, ?, ?, ?)"
      ).execute([
        .text(name.rawValue), .text(role.rawValue), .text(scope.rawValue), .text(token.hash), .text(timestamp()),
        .blob(SyncBundleSeal.bundleKey(token: token.text)),
      ])
      return token
    }
  }

  /// Revokes a site's token: from now on its requests get 401. Its changes stay.
  public func revokeSite(_ name: SiteID) throws {
    try database.inTransaction {
      guard let registration = try site(named: name) else { throw HubError(.invalidSite, "no site named \(name) is registered") }
      guard !registration.isRevoked else { throw HubError(.invalidSite, "site \(name) was already revoked at \(registration.revokedAt!)") }
      try database.cachedStatement("UPDATE sites SET revoked_at = ? WHERE name = ?").execute([.text(timestamp()), .text(name.rawValue)])
    }
  }

  /// Every registered site, revoked ones included, by name.
  public func sites() throws -> [SiteRegistration] {
    try database.cachedStatement("SELECT name, role, scope, created_at, revoked_at FROM sites ORDER BY name").rows().map(Self.registration)
  }

  public func site(named name: SiteID) throws -> SiteRegistration? {
    try database.cachedStatement("SELECT name, role, scope, created_at, revoked_at FROM sites WHERE name = ?")
      .firstRow([.text(name.rawValue)]).map(Self.registration)
  }

  /// The live site a bearer token belongs to; nil for a malformed, unknown or revoked token.
  public func authenticate(_ token: AccessToken) throws -> SiteRegistration? {
    try registration(presenting: token).flatMap { $0.isRevoked ? nil : $0 }
  }

  /// The site a bearer token was issued to, revoked or not; nil for a malformed or unknown
  /// token. Only for saying who a refused request came from: ``authenticate(_:)`` decides.
  public func registration(presenting token: AccessToken) throws -> SiteRegistration? {
    guard token.isWellFormed else { return nil }
    let hash = token.hash
    guard
      let row = try database.cachedStatement(
        "SELECT name, role, scope, created_at, revoked_at, token_hash FROM sites WHERE token_hash = ?"
      ).firstRow([.text(hash)])
    else { return nil }
    // The lookup used an index on the hash; comparing again in constant time keeps the
    // decision itself from depending on how many characters matched.
    guard ConstantTime.equal(Array(try row.string(5).utf8), Array(hash.utf8)) else { return nil }
    return try Self.registration(row)
  }

  private static func registration(_ row: Row) throws -> SiteRegistration {
    let name = try row.string(0)
    return SiteRegistration(
      name: try SiteID(rawValue: name).unwrapped(), role: try SiteRole(rawValue: try row.string(1)).unwrapped(),
      scope: try Scope(try row.string(2)), createdAt: try row.string(3), revokedAt: try row.optionalString(4))
  }

  /// The hub clock's time now, as the audit, the sites and the conflicts record it.
  func timestamp() -> String { timestamp(of: now()) }

  func timestamp(of date: Date) -> String { timestampFormatter.string(from: date) }
}
