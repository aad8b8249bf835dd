import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// The hub writes pull pages from its stored JSON fragments instead of encoding decoded
/// records. The bytes must be exactly what encoding the decoded page gives, for every
/// kind of entry: live and deleted records, open conflicts, resolutions.
@Suite struct PullJSONTests {
  @Test(arguments: [UInt64(3), 11, 29])
  func splicedPagesEqualEncodedPages(seed: UInt64) throws {
    var simulation = try ConvergenceSimulation(seed: seed)
    try simulation.run(steps: 200)
    let hub = simulation.hub
    let admin = try hub.addSite(SiteID(rawValue: "kanto-admin")!, role: .admin, scope: try Scope("kanto-shinetsu"))
    let registration = try #require(try hub.authenticate(admin))
    let open = try hub.conflicts(ConflictFilter())
    // One conflict is resolved, at least one stays open: pick seeds that open two or more.
    try #require(open.count >= 2, "seed \(seed) opened \(open.count) conflicts")
    let first = open[0]
    let side = try #require(first.sides.first).stamp.writer.site
    _ = try hub.resolve(conflict: first.id, revision: first.revision, choice: .take(side), reason: "the meeting minutes say so", by: registration)

    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var sawConflict = false
    var sawResolution = false
    var sawDeleted = false
    for scope in Set(simulation.replicas.map(\.scope)) {
      for limit in [1, 7, 500] {
        var cursor: UInt64 = 0
        while true {
          let page = try hub.pull(for: scope, after: cursor, limit: limit)
          let spliced = try hub.pullJSON(for: scope, after: cursor, limit: limit)
          #expect(String(decoding: spliced, as: UTF8.self) == String(decoding: try encoder.encode(page), as: UTF8.self))
          #expect(try JSONDecoder().decode(PullPage.self, from: Data(spliced)) == page)
          sawConflict = sawConflict || page.entries.contains { $0.conflict != nil }
          sawResolution = sawResolution || page.entries.contains { $0.resolution != nil }
          sawDeleted = sawDeleted || page.entries.contains { $0.version.state.deleted }
          guard page.hasMore else { break }
          cursor = page.cursor
        }
      }
    }
    #expect(sawResolution, "the resolved conflict's record was not pulled")
    #expect(sawConflict, "no page carried an open conflict")
    #expect(sawDeleted, "no page carried a deleted record")
  }
}
