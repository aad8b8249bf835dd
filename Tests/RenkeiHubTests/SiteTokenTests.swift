import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// A site's token is replaced without a new registration: the old token and the bundle key
/// made from it stop working at once, the new ones work, and a revoked site gets none.
@Suite struct SiteTokenTests {
  @Test func aReissuedTokenReplacesTheOldOneForRequestsAndBundles() throws {
    let hub = try Hub(path: ":memory:")
    let name = SiteID(rawValue: "saitama")!
    let old = try hub.addSite(name, role: .prefecture, scope: Scope("11"))
    let new = try hub.reissueToken(for: name)
    #expect(new.text != old.text)
    #expect(try hub.authenticate(old) == nil)
    #expect(try hub.authenticate(new)?.name == name)
    // The registration itself is unchanged.
    #expect(try hub.site(named: name)?.scope == Scope("11") && hub.sites().count == 1)

    let saitama = try Replica.create(at: ":memory:", site: name, scope: Scope("11"), author: "saitama")
    try saitama.create(
      .event, fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .text("研修"), "starts_on": .string("2023-07-06")])
    let bundle = SyncBundle(
      direction: .push, site: name, createdAt: "2023-07-06T00:00:00Z", changes: try saitama.pendingChanges(), cursor: 0)
    #expect(throws: HubError.self) { try hub.importBundle(try SyncBundleSeal.seal(bundle, key: SyncBundleSeal.bundleKey(token: old.text))) }
    #expect(try hub.importBundle(try SyncBundleSeal.seal(bundle, key: SyncBundleSeal.bundleKey(token: new.text))).result.applied == 1)

    try hub.revokeSite(name)
    #expect(throws: HubError.self) { try hub.reissueToken(for: name) }
    #expect(try hub.authenticate(new) == nil)
    #expect(throws: HubError.self) { try hub.reissueToken(for: SiteID(rawValue: "nagano")!) }
  }
}
