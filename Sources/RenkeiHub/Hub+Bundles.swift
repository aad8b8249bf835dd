import Foundation
import RenkeiCore
import RenkeiStore

extension Hub {
  /// Applies a push bundle carried in from an office on a closed network and returns the
  /// sealed reply to carry back: the acknowledgement and every version after the bundle's
  /// cursor that the site may read.
  ///
  /// The bundle is checked whole before anything is applied: a bad seal, an unknown or
  /// revoked site, or one change the site may not write refuses all of it. Applying the
  /// same bundle again stores nothing new (changes are idempotent) and gives the same reply.
  /// A refused bundle stores nothing, but is audited like a refused push: as the site it
  /// claims to come from when that site is registered, else as `anonymous`.
  public func importBundle(_ data: Data) throws -> (reply: Data, result: PushResult) {
    do {
      return try applyBundle(data)
    } catch let error as HubError {
      try auditRefusedBundle(data, code: error.code.rawValue, reason: error.message)
      throw error
    } catch let error as SyncBundleError {
      try auditRefusedBundle(data, code: HubError.Code.forbidden.rawValue, reason: error.description)
      throw error
    }
  }

  private func auditRefusedBundle(_ data: Data, code: String, reason: String) throws {
    let claimed = try? SyncBundleSeal.claimedSite(of: data)
    let registration = try claimed.flatMap { try site(named: $0) }
    // Not counted like refusals over HTTP: bundles are imported one by one by the operator.
    try recordRefusal(
      actor: registration?.name.rawValue ?? Self.anonymousActor, scope: registration?.scope, reason: reason,
      detail: ["code": code, "route": "bundle import", "claimed": claimed?.rawValue ?? "-"])
  }

  private func applyBundle(_ data: Data) throws -> (reply: Data, result: PushResult) {
    let site = try SyncBundleSeal.claimedSite(of: data)
    guard let registration = try self.site(named: site), !registration.isRevoked else {
      throw HubError(.forbidden, "the bundle comes from \(site), which is not a registered site or was revoked")
    }
    guard registration.role != .admin else { throw HubError(.forbidden, "an admin site does not sync bundles") }
    guard
      let key = try database.cachedStatement("SELECT bundle_key FROM sites WHERE name = ?").firstRow([.text(site.rawValue)])
        .flatMap({ try $0.optionalBytes(0) })
    else {
      throw HubError(.forbidden, "site \(site) was registered before bundles existed: register it again to use them")
    }
    let bundle: SyncBundle
    do throws(SyncBundleError) {
      bundle = try SyncBundleSeal.open(data, key: key)
    } catch {
      throw HubError(.forbidden, "the bundle from \(site) is refused: \(error.description)")
    }
    guard bundle.direction == .push else { throw HubError(.invalidChange, "this is a reply bundle; the hub imports push bundles") }
    let result = try push(bundle.changes, from: site, scope: registration.scope)
    var entries: [FeedEntry] = []
    var cursor = bundle.cursor
    while true {
      let page = try pull(for: registration.scope, after: cursor, limit: 5000)
      entries += page.entries
      cursor = page.cursor
      if !page.hasMore { break }
    }
    // The bundle's cursor is what the office had stored when it wrote the bundle.
    try notePull(of: registration, storedThrough: bundle.cursor)
    let reply = SyncBundle(
      direction: .reply, site: site, createdAt: timestamp(), cursor: cursor,
      acknowledgedSequence: bundle.changes.isEmpty ? nil : result.acknowledgedSequence, writer: bundle.changes.last?.origin,
      entries: entries)
    return (try SyncBundleSeal.seal(reply, key: key), result)
  }
}
