import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

/// A prefecture's agent directory is copied whole, as a backup would; the laptop goes on
/// working and syncing for "three days" while the bureau edits the same records; then the
/// old copy is restored, 50 edits are made on it, and it syncs. The copy has the same epoch
/// as the hub's latest for the site but an older sequence, and it holds edits that were
/// still waiting to be pushed when it was taken (which the lost laptop pushed since).
///
/// Every one of the 50 edits must reach the hub under a new epoch, nothing the hub held may
/// be erased (a field changes only where one of the 50 edits wrote it), an edit the hub
/// already holds must not be applied a second time, and the replicas must converge.
@Suite struct ReliabilityRestoreTests {
  struct Edit {
    var record: RecordID
    var operation: ChangeOperation
    var fields: RecordFields
  }

  static func event(_ title: String, on day: Int) -> RecordFields {
    [
      "scope": .string("11"), "kind": .string("seminar"), "title": .text(title),
      "starts_on": .string(String(format: "2023-07-%02d", day % 28 + 1)), "venue": .text("さいたま市"),
    ]
  }

  @Test func aRestoredReplicaLosesNothingAndErasesNothing() throws {
    let world = try ReliabilityWorld("restore", sites: [("saitama", "prefecture", "11"), ("kanto", "bureau", "kanto-shinetsu")])
    var random = SplitMix64(seed: ReliabilityMode.seed &+ 5)
    let ids = try (0..<40).map { try RecordID("restore-\($0)") }

    // Day 0: saitama's records reach the hub and the bureau.
    try world.withReplica("saitama") { replica in
      for (index, id) in ids.enumerated() { try replica.create(.event, id: id, fields: Self.event("地域ケア会議 \(index)", on: index)) }
      try replica.create(.fundEntry, id: try RecordID("restore-fund-0"), fields: Self.fund(1_200_000))
    }
    try world.syncUntilDone("saitama")
    try world.syncUntilDone("kanto")

    // Edits still waiting to be pushed when the copy is taken: two creates and some updates.
    let waiting = try world.withReplica("saitama") { replica in
      try replica.create(.event, id: try RecordID("restore-waiting-0"), fields: Self.event("在宅医療研修", on: 3))
      try replica.create(.fundEntry, id: try RecordID("restore-waiting-fund"), fields: Self.fund(300_000))
      for index in 0..<4 { try replica.update(ids[index], fields: ["participants": .integer(Int64(10 + index))]) }
      return try replica.pendingChanges(limit: Int.max).count
    }
    let backup = world.root + "/saitama-backup"
    try FileManager.default.copyItem(atPath: world.site("saitama").directory, toPath: backup)

    // Three days of work on the laptop and at the bureau, synced every day.
    for day in 1...3 {
      try world.withReplica("saitama") { replica in
        try replica.create(.event, id: try RecordID("restore-day\(day)"), fields: Self.event("研修 \(day) 日目", on: day))
        try replica.update(try RecordID("restore-waiting-0"), fields: ["notes": .text("\(day) 日目の記録\n")])
        for _ in 0..<12 {
          let id = ids.randomElement(using: &random)!
          _ = try? replica.update(id, fields: ["venue": .text("会場 \(day)-\(Int.random(in: 0..<1000, using: &random))")])
        }
      }
      try world.syncUntilDone("saitama")
      try world.withReplica("kanto") { replica in
        for _ in 0..<6 {
          let id = ids.randomElement(using: &random)!
          _ = try? replica.update(id, fields: ["audience": .text("市町村職員 \(day)-\(Int.random(in: 0..<1000, using: &random))")])
        }
        _ = try? replica.update(try RecordID("restore-waiting-0"), fields: ["venue": .text("厚生局 会議室 \(day)")])
      }
      try world.syncUntilDone("kanto")
      try world.syncUntilDone("saitama")
    }
    let lostSequence = try world.hubLastSequence("saitama", epoch: 1)
    let before = try Self.hubStates(world)

    // Restore the copy, whole, and make 50 edits on it.
    try FileManager.default.removeItem(atPath: world.site("saitama").directory)
    try FileManager.default.copyItem(atPath: backup, toPath: world.site("saitama").directory)
    var edits: [Edit] = []
    try world.withReplica("saitama") { replica in
      for index in 0..<50 {
        let change: Change
        switch index % 10 {
        case 0, 1:
          change = try replica.create(.event, id: try RecordID("restore-after-\(index)"), fields: Self.event("復元後の研修 \(index)", on: index))
        case 2:
          change = try replica.update(try RecordID("restore-waiting-0"), fields: ["participants": .integer(Int64(100 + index))])
        case 3:
          change = try replica.delete(ids[20 + index / 10])
        case 4, 5:
          change = try replica.update(ids[(index / 2) % 20], fields: ["venue": .text("復元後の会場 \(index)")])
        default:
          change = try replica.update(
            ids[index % 20], fields: ["status": .string(index % 3 == 0 ? "held" : "postponed"), "participants": .integer(Int64(index))])
        }
        edits.append(Edit(record: change.recordID, operation: change.operation, fields: change.fields))
      }
    }

    let sync = try world.renkei("saitama", ["sync"])
    let followUps = try [world.renkei("kanto", ["sync"]), world.renkei("saitama", ["sync"])]
    let after = try Self.hubStates(world)
    let progress = try world.replicaProgress("saitama")

    // Every one of the 50 edits is at the hub, written by saitama under a new epoch.
    let hubChanges = try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try db.prepare("SELECT epoch, body FROM changes WHERE site = 'saitama'").rows().map {
        (epoch: try $0.int64(0), change: try CanonicalJSON.decode(Change.self, from: try $0.string(1)))
      }
    }
    let underNewEpoch = hubChanges.filter { $0.epoch > 1 }.map(\.change)
    let arrived = edits.filter { edit in
      underNewEpoch.contains { $0.recordID == edit.record && $0.operation == edit.operation && $0.fields == edit.fields }
    }
    // What the restore left written twice: a record created twice, or an edit the hub
    // already held written again under the new epoch.
    var creates: [RecordID: Int] = [:]
    for entry in hubChanges where entry.change.operation == .create { creates[entry.change.recordID, default: 0] += 1 }
    let createdTwice = creates.filter { $0.value > 1 }.keys.map(\.rawValue).sorted()
    let heldBefore = hubChanges.filter { $0.epoch == 1 }.map(\.change)
    let writtenAgain = underNewEpoch.filter { new in
      !edits.contains { $0.record == new.recordID && $0.operation == new.operation && $0.fields == new.fields }
        && heldBefore.contains { $0.recordID == new.recordID && $0.operation == new.operation && $0.fields == new.fields }
    }
    // Nothing of the hub erased: each field the hub held keeps its value unless one of
    // the 50 edits wrote it (or deleted the record), or the restored copy's edits made it
    // collide: then the value must stand in a side of the record's open conflict, for the
    // administrator to decide (the provisional version is the latest side's, DESIGN.md).
    var erased: [String] = []
    var inReview: [String] = []
    let sides = try Self.conflictSides(world)
    for (id, held) in before {
      guard let now = after[id] else {
        erased.append("\(id) vanished")
        continue
      }
      let mine = edits.filter { $0.record.rawValue == id }
      if mine.contains(where: { $0.operation == .delete }) { continue }
      if now.deleted != held.deleted { erased.append("\(id) deleted") }
      for (field, value) in held.fields where now.fields[field] != value && !mine.contains(where: { $0.fields[field] != nil }) {
        let change = "\(id).\(field): \(value) → \(now.fields[field] ?? .null)"
        if (sides[id] ?? []).contains(where: { $0.state[field] == value }) { inReview.append(change) } else { erased.append(change) }
      }
    }
    let divergent = try world.divergence("saitama") + world.divergence("kanto")
    let conflicts = try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try db.prepare("SELECT count(*) FROM conflicts WHERE status = 'open'").firstRow()!.int64(0)
    }

    print(
      """
      [Reliability 5: restored replica] copy taken with \(waiting) edits waiting; the lost laptop then pushed up to \
      saitama.1#\(lostSequence); the restored copy (epoch 1, older sequence) made 50 edits and synced: \
      exit \(sync.status), \(sync.stdout.trimmingCharacters(in: .whitespacesAndNewlines))\(sync.status == 0 ? "" : " — \(sync.stderr.prefix(300))")
        \(arrived.count) of 50 edits at the hub under a new epoch (replica now at epoch \(progress.epoch), sequence \(progress.written), \
      \(progress.written - progress.acknowledged) unacknowledged)
        \(erased.count) hub fields erased of \(before.count) records the hub held\(erased.isEmpty ? "" : ": \(erased.prefix(5))"); \
      \(inReview.count) whose provisional value changed because the copy's edits collide with them, each in a side of the \
      record's open conflict\(inReview.isEmpty ? "" : ": \(inReview.prefix(3))")
        \(createdTwice.count) records created twice\(createdTwice.isEmpty ? "" : " \(createdTwice.prefix(5))"); \
      \(writtenAgain.count) edits the hub already held written again under the new epoch; \(conflicts) open conflicts
        replicas converged with the hub: \(divergent.isEmpty ? "yes" : "NO \(divergent.prefix(3))")
      """)
    let converged = divergent.isEmpty ? "replicas converged" : "replicas NOT converged"
    print(
      "FIGURE 5 | restored replica | copy 3 days old (\(waiting) edits waiting, pushed since by the lost laptop): \(arrived.count)/50 edits at the hub under epoch \(progress.epoch), \(erased.count) hub values erased (\(inReview.count) in review in open conflicts), \(createdTwice.count + writtenAgain.count) written twice, \(converged)"
    )
    for id in Set(erased.map { String($0.split(separator: ".").first!.split(separator: ":").first!) }).sorted().prefix(3) {
      print("  history of \(id) at the hub:\n" + (try Self.history(of: id, in: world)))
    }
    #expect(sync.status == 0, "the restored replica's first sync: \(sync.stderr)")
    #expect(followUps.allSatisfy { $0.status == 0 }, "\(followUps.map(\.stderr))")
    #expect(arrived.count == 50, "\(50 - arrived.count) of the 50 edits did not reach the hub under a new epoch")
    #expect(progress.epoch > 1)
    #expect(erased.isEmpty, "\(erased.prefix(10))")
    #expect(createdTwice.isEmpty, "\(createdTwice)")
    #expect(writtenAgain.isEmpty, "\(writtenAgain.prefix(5).map { "\($0.recordID) \($0.operation) \($0.fields)" })")
    #expect(divergent.isEmpty, "\(divergent.prefix(10))")
    #expect(try world.integrityFailures().isEmpty)
  }

  /// A world of Saitama alone, whose replica has created four events (ids `<ids>-0` to
  /// `<ids>-3`) and synced them.
  static func saitamaWithFourSyncedEvents(_ name: String, ids prefix: String) throws -> (ReliabilityWorld, [RecordID]) {
    let world = try ReliabilityWorld(name, sites: [("saitama", "prefecture", "11")])
    let ids = try (0..<4).map { try RecordID("\(prefix)-\($0)") }
    try world.withReplica("saitama") { replica in
      for (index, id) in ids.enumerated() { try replica.create(.event, id: id, fields: Self.event("研修 \(index)", on: index)) }
    }
    try world.syncUntilDone("saitama")
    return (world, ids)
  }

  /// A copy restored with edits that were waiting when it was taken, which the lost laptop
  /// pushed since along with later ones, and nothing new: the hub acknowledges the repeats
  /// up to a sequence this copy never wrote. Its sync must still succeed and write nothing
  /// twice, and its next edit must reach the hub once, under a new epoch.
  @Test func aRestoredCopyWithNothingNewSyncsAndItsNextEditArrivesOnce() throws {
    let (world, ids) = try Self.saitamaWithFourSyncedEvents("restore-quiet", ids: "quiet")
    try world.withReplica("saitama") { replica in
      try replica.update(ids[0], fields: ["venue": .text("川口市")])
      try replica.create(.event, id: try RecordID("quiet-waiting"), fields: Self.event("待機中の研修", on: 9))
    }
    let backup = world.root + "/saitama-backup"
    try FileManager.default.copyItem(atPath: world.site("saitama").directory, toPath: backup)
    try world.syncUntilDone("saitama")
    try world.withReplica("saitama") { try $0.update(ids[1], fields: ["venue": .text("所沢市")]) }
    try world.syncUntilDone("saitama")

    try FileManager.default.removeItem(atPath: world.site("saitama").directory)
    try FileManager.default.copyItem(atPath: backup, toPath: world.site("saitama").directory)
    let quiet = try world.renkei("saitama", ["sync"])
    try world.withReplica("saitama") { try $0.update(ids[2], fields: ["venue": .text("越谷市")]) }
    let next = try world.renkei("saitama", ["sync"])
    let creates = try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try db.prepare("SELECT count(*) FROM changes WHERE body LIKE '%\"op\":\"create\"%'").firstRow()!.int64(0)
    }
    let arrived = try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try db.prepare("SELECT epoch FROM changes WHERE record_id = 'quiet-2' AND body LIKE '%越谷市%'").rows().map { try $0.int64(0) }
    }
    let divergent = try world.divergence("saitama")
    print(
      """
      [Reliability 5b: restored copy with nothing new] its sync: exit \(quiet.status)\(quiet.status == 0 ? "" : " — \(quiet.stderr.prefix(300))"); \
      its next edit's sync: exit \(next.status)\(next.status == 0 ? "" : " — \(next.stderr.prefix(300))"); \
      the edit is at the hub \(arrived.count) time(s), under epoch(s) \(arrived); \(creates) creates stored for 5 records; \
      converged: \(divergent.isEmpty ? "yes" : "NO \(divergent.prefix(3))")
      """)
    #expect(quiet.status == 0, "\(quiet.stderr)")
    #expect(next.status == 0, "\(next.stderr)")
    #expect(arrived.count == 1 && arrived.allSatisfy { $0 > 1 }, "\(arrived)")
    #expect(creates == 5)
    #expect(divergent.isEmpty, "\(divergent.prefix(5))")
  }

  /// The same old copy restored twice: first it takes epoch 2 and syncs; then, restored
  /// again, it still says epoch 1, and epoch 2 is the first restore's. It must take an
  /// epoch of its own (3), and the edits of both restores must each reach the hub once.
  @Test func aCopyRestoredTwiceTakesAnEpochOfItsOwnEachTime() throws {
    let (world, ids) = try Self.saitamaWithFourSyncedEvents("restore-twice", ids: "twice")
    let backup = world.root + "/saitama-backup"
    try FileManager.default.copyItem(atPath: world.site("saitama").directory, toPath: backup)
    try world.withReplica("saitama") { try $0.update(ids[0], fields: ["venue": .text("川口市")]) }
    try world.syncUntilDone("saitama")

    var syncs: [ProcessResult] = []
    for (restore, venue) in [(1, "所沢市"), (2, "越谷市")] {
      try FileManager.default.removeItem(atPath: world.site("saitama").directory)
      try FileManager.default.copyItem(atPath: backup, toPath: world.site("saitama").directory)
      try world.withReplica("saitama") { try $0.update(ids[restore], fields: ["venue": .text(venue)]) }
      syncs.append(try world.renkei("saitama", ["sync"]))
      // Work goes on after each restore, so its epoch holds more than the one edit.
      try world.withReplica("saitama") { try $0.update(ids[3], fields: ["participants": .integer(Int64(10 * restore))]) }
      syncs.append(try world.renkei("saitama", ["sync"]))
    }
    let epochs = try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      try [("twice-0", "川口市"), ("twice-1", "所沢市"), ("twice-2", "越谷市")].map { id, venue in
        try db.prepare("SELECT epoch FROM changes WHERE record_id = ? AND body LIKE ?").rows([.text(id), .text("%\(venue)%")]).map {
          try $0.int64(0)
        }
      }
    }
    let progress = try world.replicaProgress("saitama")
    let states = try Self.hubStates(world)
    let divergent = try world.divergence("saitama")
    print(
      """
      [Reliability 5c: copy restored twice] syncs: exit \(syncs.map(\.status)); the edits' epochs at the hub: before the \
      restores \(epochs[0]), first restore \(epochs[1]), second restore \(epochs[2]); replica now at epoch \(progress.epoch); \
      converged: \(divergent.isEmpty ? "yes" : "NO \(divergent.prefix(3))")
      """)
    #expect(syncs.allSatisfy { $0.status == 0 }, "\(syncs.map(\.stderr))")
    #expect(epochs == [[1], [2], [3]], "each edit once, under the epoch of the replica that made it")
    #expect(progress.epoch == 3)
    #expect(states["twice-0"]?.fields["venue"] == .text("川口市"), "the lost laptop's edit stands: neither copy wrote the venue")
    #expect(states["twice-1"]?.fields["venue"] == .text("所沢市"))
    #expect(states["twice-2"]?.fields["venue"] == .text("越谷市"))
    #expect(divergent.isEmpty, "\(divergent.prefix(5))")
    #expect(try world.integrityFailures().isEmpty)
  }

  static func fund(_ yen: Int64) -> RecordFields {
    [
      "scope": .string("11"), "programme": .text("地域医療介護総合確保基金"), "kind": .string("deposit"), "amount": .integer(yen),
      "occurred_on": .string("2023-06-01"),
    ]
  }

  /// The versions and changes the hub holds for a record, one per line, for a failure's report.
  static func history(of id: String, in world: ReliabilityWorld) throws -> String {
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      let frontier = try db.prepare("SELECT frontier FROM records WHERE id = ?").firstRow([.text(id)]).map { try $0.string(0) } ?? "[]"
      let versions = try db.prepare("SELECT vector, deleted, state FROM versions WHERE record_id = ?").rows([.text(id)]).map {
        "    version \(try $0.string(0)) deleted=\(try $0.int64(1)) \(try $0.string(2))"
      } + ["    frontier \(frontier)"]
      let changes = try db.prepare("SELECT site, epoch, sequence, body FROM changes WHERE record_id = ? ORDER BY rowid").rows([.text(id)])
        .map {
          let change = try CanonicalJSON.decode(Change.self, from: try $0.string(3))
          return
            "    change \(try $0.string(0)).\(try $0.int64(1))#\(try $0.int64(2)) \(change.operation) \(change.vector) \(change.fields.keys.sorted())"
        }
      let conflicts = try db.prepare("SELECT id, fields, sides FROM conflicts WHERE record_id = ? AND status = 'open'").rows([.text(id)])
        .map {
          let sides = try CanonicalJSON.decode([RecordVersion].self, from: try $0.string(2))
          return "    conflict #\(try $0.int64(0)) \(try $0.string(1)) sides: "
            + sides.map {
              "\($0.stamp.writer) \($0.vector) venue=\($0.state["venue"]) audience=\($0.state["audience"]) notes=\($0.state["notes"])"
            }.joined(separator: " | ")
        }
      return (changes + versions + conflicts).joined(separator: "\n")
    }
  }

  /// The sides of every open conflict, by record.
  static func conflictSides(_ world: ReliabilityWorld) throws -> [String: [RecordVersion]] {
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      var sides: [String: [RecordVersion]] = [:]
      for row in try db.prepare("SELECT record_id, sides FROM conflicts WHERE status = 'open'").rows() {
        sides[try row.string(0), default: []] += try CanonicalJSON.decode([RecordVersion].self, from: try row.string(1))
      }
      return sides
    }
  }

  /// The hub's current state of every record: fields and tombstone.
  static func hubStates(_ world: ReliabilityWorld) throws -> [String: RecordState] {
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      var states: [String: RecordState] = [:]
      for row in try db.prepare("SELECT id, state, deleted FROM records").rows() {
        states[try row.string(0)] = RecordState(
          fields: try CanonicalJSON.decode(RecordFields.self, from: try row.string(1)), deleted: try row.int64(2) != 0)
      }
      return states
    }
  }
}
