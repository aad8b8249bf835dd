import Foundation
import RenkeiCore
import RenkeiStore
import Testing

/// Found by the clock-skew test: an edit that loses a conflict provisionally must stay in
/// front of the administrator until a person decides. Saitama and the bureau set the same
/// event's venue offline; the bureau's later stamp stands provisionally; saitama, having
/// pulled that provisional version, then sets another field. Saitama's venue must still be
/// in a side of the record's conflict (README: "every edit is in the final state or a
/// recorded conflict").
@Suite struct ReliabilityConflictTests {
  @Test func anEditThatLostProvisionallyStaysInItsConflict() throws {
    let world = try ReliabilityWorld("conflict", sites: [("saitama", "prefecture", "11"), ("kanto", "bureau", "kanto-shinetsu")])
    let later = ["RENKEI_CLOCK_OFFSET_MS": String(3_600_000)]
    let csv = world.root + "/events.csv"
    try ReliabilityWorkload.csv(rows: 1, prefix: "conflict", prefecture: "11").write(toFile: csv, atomically: true, encoding: .utf8)
    try world.ok("saitama", ["import", "events", csv])
    for site in ["saitama", "kanto"] { try world.syncUntilDone(site) }

    try world.ok("saitama", ["event", "edit", "conflict-0", "--venue", "浦和コミュニティセンター"])
    try world.ok("kanto", ["event", "edit", "conflict-0", "--venue", "大宮ソニックシティ"], environment: later)
    for site in ["saitama", "kanto", "saitama"] { try world.syncUntilDone(site) }
    let sidesBefore = try Self.sides(world)
    try world.ok("saitama", ["event", "edit", "conflict-0", "--participants", "48"])
    for site in ["saitama", "kanto"] { try world.syncUntilDone(site) }
    let sidesAfter = try Self.sides(world)

    func show(_ sides: [RecordVersion]) -> String {
      sides.map { "\($0.stamp.writer) \($0.vector) venue \($0.state["venue"])" }.joined(separator: " | ")
    }
    let kept = sidesAfter.contains { $0.state["venue"] == .text("浦和コミュニティセンター") }
    print(
      """
      [Reliability: conflict sides] venue set by saitama and (an hour later) by kanto; the conflict's sides: \(show(sidesBefore)); \
      after saitama edits participants on the provisional version: \(show(sidesAfter)) — saitama's venue \(kept ? "still" : "NO LONGER") in the conflict
      """)
    #expect(sidesBefore.contains { $0.state["venue"] == .text("浦和コミュニティセンター") }, "the conflict first holds saitama's venue")
    #expect(kept, "saitama's venue vanished from the conflict: \(show(sidesAfter))")
  }

  static func sides(_ world: ReliabilityWorld) throws -> [RecordVersion] {
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try db.prepare("SELECT sides FROM conflicts WHERE record_id = 'conflict-0' AND status = 'open'").rows().flatMap {
        try CanonicalJSON.decode([RecordVersion].self, from: try $0.string(0))
      }
    }
  }
}
