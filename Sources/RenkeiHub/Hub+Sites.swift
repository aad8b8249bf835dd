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
      // A name is given out once: its writers' changes stay in every history under it, so a
      // revoked site does not come back with a new token.
      if let existing = try site(named: name) {
        if let revokedAt = existing.revokedAt {
          throw HubError(
            .invalidSite,
            "site \(name) was revoked at \(revokedAt), and a site's name is registered only once: "
              + "register the office under a new name (such as \(name)-2) and set up its replica with renkei init")
        }
        throw HubError(.invalidSite, "a site named \(name) is already registered (renkei-hub site list); choose another name")
      }
      let token = AccessToken.generate()
      // A site registered now never held a record deleted before: compaction need not wait
      // for it to pull what the feed holds already.
      try database.cachedStatement(
        """
        INSERT INTO sites(name, role, scope, token_hash, created_at, bundle_key, pulled_through)
        VALUES (?, ?, ?, ?, ?, ?, \(Self.lastFeedPosition))
        """
      ).execute([
        .text(name.rawValue), .text(role.rawValue), .text(scope.rawValue), .text(token.hash), .text(timestamp()),
        .blob(SyncBundleSeal.bundleKey(token: token.text)),
      ])
      return token
    }
  }

  /// Issues a new token for a live site and returns it (it is never stored and cannot be
  /// shown again); the old token is refused from then on. For a token that leaked or was
  /// lost while the office still has its replica: the replica keeps its unsynced changes,
  /// and only its token file changes (`renkei token`).
  public func reissueToken(for name: SiteID) throws -> AccessToken {
    try database.inTransaction {
      guard let registration = try site(named: name) else {
        throw HubError(.invalidSite, "no site named \(name) is registered (renkei-hub site list)")
      }
      if let revokedAt = registration.revokedAt {
        throw HubError(
          .invalidSite,
          "site \(name) was revoked at \(revokedAt) and gets no new token: register the office under a new name (such as \(name)-2)")
      }
      let token = AccessToken.generate()
      try database.cachedStatement("UPDATE sites SET token_hash = ?, bundle_key = ? WHERE name = ?")
        .execute([.text(token.hash), .blob(SyncBundleSeal.bundleKey(token: token.text)), .text(name.rawValue)])
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
    try database.cachedStatement("SELECT \(Self.registrationColumns) FROM sites ORDER BY name").rows().map(Self.registration)
  }

  public func site(named name: SiteID) throws -> SiteRegistration? {
    try database.cachedStatement("SELECT \(Self.registrationColumns) FROM sites WHERE name = ?")
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
        "SELECT \(Self.registrationColumns), token_hash FROM sites WHERE token_hash = ?"
      ).firstRow([.text(hash)])
    else { return nil }
    // The lookup used an index on the hash; comparing again in constant time keeps the
    // decision itself from depending on how many characters matched.
    guard ConstantTime.equal(Array(try row.string(7).utf8), Array(hash.utf8)) else { return nil }
    return try Self.registration(row)
  }

  /// Notes that the replica of `registration` has stored every entry it may read through
  /// feed position `position`, as it says when it pulls (or in a bundle). The mark only
  /// moves forward (a replica restored from an old copy pulls again from further back), and
  /// never past the last position the feed has given. A mark that does not move is written
  /// again only to refresh its time, at most every ten minutes, so pulls seldom write.
  func notePull(of registration: SiteRegistration, storedThrough position: UInt64) throws {
    if position <= registration.pulledThrough, let last = registration.lastPulledAt.flatMap(timestampFormatter.date(from:)),
      now().timeIntervalSince(last) < 600
    {
      return
    }
    try database.cachedStatement(
      """
      UPDATE sites SET last_pulled_at = ?2, pulled_through = max(pulled_through, min(?1, \(Self.lastFeedPosition)))
      WHERE name = ?3
      """
    ).execute([.integer(Int64(clamping: position)), .text(timestamp()), .text(registration.name.rawValue)])
  }

  /// The last feed position given, 0 before the first, as an SQL expression.
  private static let lastFeedPosition = "coalesce((SELECT CAST(value AS INTEGER) FROM hub_meta WHERE key = 'feed_position'), 0)"

  private static let registrationColumns = "name, role, scope, created_at, revoked_at, pulled_through, last_pulled_at"

  private static func registration(_ row: Row) throws -> SiteRegistration {
    let name = try row.string(0)
    return SiteRegistration(
      name: try SiteID(rawValue: name).unwrapped(), role: try SiteRole(rawValue: try row.string(1)).unwrapped(),
      scope: try Scope(try row.string(2)), createdAt: try row.string(3), revokedAt: try row.optionalString(4),
      pulledThrough: UInt64(max(try row.int64(5), 0)), lastPulledAt: try row.optionalString(6))
  }

  /// The hub clock's time now, as the audit, the sites and the conflicts record it.
  func timestamp() -> String { timestamp(of: now()) }

  func timestamp(of date: Date) -> String { timestampFormatter.string(from: date) }
}
