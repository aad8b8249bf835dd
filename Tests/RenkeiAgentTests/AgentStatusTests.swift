import Foundation
import RenkeiCore
import Testing

@testable import RenkeiAgent

/// What `renkei status` says of the last exchange with the hub, by network or by bundle.
@Suite struct AgentStatusTests {
  static let hub = URL(string: "https://hub.example.go.jp")!

  func status(sync: String?, reply: String?) throws -> AgentStatus {
    AgentStatus(
      site: SiteID(rawValue: "saitama")!, scope: try Scope("11"), epoch: 1, hub: Self.hub.absoluteString,
      lastSuccessfulSync: sync, lastBundleReply: reply, pendingChanges: 2, openConflicts: 0)
  }

  @Test func anOfficeOnAClosedNetworkSeesItsLastReply() throws {
    let now = ISO8601DateFormatter().date(from: "2026-11-27T09:00:00Z")!
    let lines = try status(sync: nil, reply: "2026-11-24T09:00:00Z").lines(now: now)
    #expect(lines[2] == "last sync:     never")
    #expect(lines[3] == "last bundle:   the hub's reply of 2026-11-24T09:00:00Z (3 days ago), imported")
    #expect(lines[4] == "to push:       2 changes")
    // Without a bundle, no such line.
    #expect(try !status(sync: "2026-11-27T08:00:00Z", reply: nil).lines(now: now).contains { $0.hasPrefix("last bundle:") })
  }

  @Test func onlyANewerReplyMovesTheDate() {
    var configuration = AgentConfiguration(hub: Self.hub, confirmed: true)
    let noted = ["2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z", "2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z", "not a date"].map {
      configuration.noteBundleReply(createdAt: $0)
    }
    // The first, a newer one; not an older one again, the same one again, or no date.
    #expect(noted == [true, true, false, false, false])
    #expect(configuration.lastBundleReply == "2026-11-25T09:00:00Z")
  }
}
