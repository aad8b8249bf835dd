import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import RenkeiTestSupport
import Testing

/// The convergence property: over many seeded histories, replicas and hub agree, no edit
/// is lost, no yen is counted twice, and delivery order does not matter.
///
/// `RENKEI_SEED=n` replays one history; `RENKEI_HISTORIES=n` runs more (or fewer).
@Suite struct ConvergenceTests {
  static var seeds: [UInt64] {
    if let one = ProcessInfo.processInfo.environment["RENKEI_SEED"].flatMap(UInt64.init) { return [one] }
    let count = ProcessInfo.processInfo.environment["RENKEI_HISTORIES"].flatMap(Int.init) ?? 1000
    return (0..<UInt64(count)).map { $0 &* 0x9E37_79B9 &+ 17 }
  }

  /// The histories are split into slices that run in parallel, one slice per test case.
  static let slices = 8

  @Test(arguments: 0..<slices)
  func seededHistoriesConverge(slice: Int) throws {
    var failures: [String] = []
    for (index, seed) in Self.seeds.enumerated() where index % Self.slices == slice {
      do {
        try Self.check(seed: seed)
      } catch {
        failures.append("seed \(seed): \(error)  — replay with RENKEI_SEED=\(seed) swift test --filter ConvergenceTests")
        if failures.count >= 5 { break }
      }
    }
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  static func check(seed: UInt64) throws {
    var simulation = try ConvergenceSimulation(seed: seed)
    try simulation.run(steps: 40)
    let hub = simulation.hub
    let hubRecords = Dictionary(uniqueKeysWithValues: try hub.allRecords().map { ($0.recordID, $0) })
    let scopes = Dictionary(uniqueKeysWithValues: try hub.database.prepare("SELECT id, scope FROM records").rows().map {
      (try RecordID(try $0.string(0)), try Scope(try $0.string(1)))
    })

    // 1. Every replica holds exactly the hub's versions of the records in its scope.
    for replica in simulation.replicas {
      try require(try replica.pendingChanges().isEmpty, "replica \(replica.site) still has pending changes")
      let local = try replica.records(includeDeleted: true)
      let visible = hubRecords.values.filter { replica.scope.canRead(scopes[$0.recordID]!) }
      try require(local.count == visible.count, "replica \(replica.site) holds \(local.count) records, hub shows it \(visible.count)")
      for stored in local {
        let expected = try hubRecords[stored.id].unwrap("hub lacks \(stored.id)")
        try require(stored.version.vector == expected.vector, "\(replica.site) \(stored.id) vector \(stored.version.vector) != hub \(expected.vector)")
        try require(stored.state == expected.state, "\(replica.site) \(stored.id) state differs from the hub's")
      }
    }

    // 2. Every edit survives: in the final state, inside an open conflict, or overwritten
    //    by an edit made after it.
    let changes = try hub.database.prepare("SELECT body FROM changes").rows().map {
      try CanonicalJSON.decode(Change.self, from: try $0.string(0))
    }
    let conflicts = try hub.openConflicts()
    let conflictSides = Dictionary(grouping: conflicts, by: \.recordID).mapValues { $0.flatMap(\.sides) }
    let byRecord = Dictionary(grouping: changes, by: \.recordID)
    for change in changes where change.operation != .delete {
      let final = hubRecords[change.recordID]!
      let later = byRecord[change.recordID]!.filter { $0.vector != change.vector && $0.vector.dominatesOrEquals(change.vector) }
      let candidates = [final.state] + (conflictSides[change.recordID] ?? []).map(\.state)
      if final.state.deleted, !later.contains(where: { $0.operation == .delete }),
        !(conflictSides[change.recordID] ?? []).contains(where: { !$0.state.deleted })
      {
        throw SimulationFailure("edit \(change.origin)#\(change.sequence) of \(change.recordID) vanished under a delete without a conflict")
      }
      // A later delete by anyone supersedes every field; the check above covers deletes.
      if later.contains(where: { $0.operation == .delete }) { continue }
      for (field, value) in change.fields where !later.contains(where: { $0.fields[field] != nil }) {
        let kept: Bool
        if case .strings = value, change.operation == .update {
          kept = try candidates.contains {
            try Self.setEditSurvives(change, field: field, final: $0, among: byRecord[change.recordID]!, in: hub)
          }
        } else {
          kept = try candidates.contains { Self.holds($0[field], value) }
            || Self.restoredAncestor(change, field: field, among: byRecord[change.recordID]!, in: hub)
        }
        try require(
          kept,
          "edit \(change.origin)#\(change.sequence) of \(change.recordID).\(field) = \(value) is lost; final \(final.vector) holds \(final.state[field]); "
            + "edits: " + byRecord[change.recordID]!.map { "\($0.origin)#\($0.sequence) \($0.operation) \($0.vector) \($0.fields[field].map(String.init(describing:)) ?? "-")" }.joined(separator: "; ")
            + "; conflict sides: " + (conflictSides[change.recordID] ?? []).map { "\($0.stamp.writer) \($0.vector) \($0.state[field])" }.joined(separator: "; "))
      }
    }

    // 3. No yen lost or counted twice: the ledger sums to the entries created.
    let created = changes.filter { $0.kind == .fundEntry && $0.operation == .create }.reduce(Int64(0)) {
      guard case .integer(let amount) = $0 == 0 ? $1.fields["amount"] ?? .null : $1.fields["amount"] ?? .null else { return $0 }
      return $0 + amount
    }
    let ledger = hubRecords.values.filter { $0.kind == .fundEntry && !$0.state.deleted }.reduce(Int64(0)) {
      guard case .integer(let amount) = $1.state["amount"] else { return $0 }
      return $0 + amount
    }
    try require(created == ledger, "fund entries created sum to \(created) yen, the ledger to \(ledger)")

    // 4. The same changes delivered in another order give the same state and conflicts.
    let replay = try Hub(path: ":memory:")
    var generator = SplitMix64(seed: seed ^ 0xDEAD_BEEF)
    var queues = Dictionary(grouping: changes, by: \.origin).mapValues { $0.sorted { $0.sequence < $1.sequence } }
    var stalled = 0
    while !queues.isEmpty {
      let writer = queues.keys.sorted().randomElement(using: &generator)!
      let next = queues[writer]![0]
      let scope = simulation.replicas.first { $0.site == writer.site }!.scope
      do {
        _ = try replay.push([next], from: writer.site, scope: scope)
        queues[writer]!.removeFirst()
        if queues[writer]!.isEmpty { queues[writer] = nil }
        stalled = 0
      } catch let error as HubError where error.code == .unknownParent {
        stalled += 1
        try require(stalled < 10_000, "replay cannot make progress: \(error)")
      }
    }
    let replayed = Dictionary(uniqueKeysWithValues: try replay.allRecords().map { ($0.recordID, $0) })
    try require(Set(replayed.keys) == Set(hubRecords.keys), "replay holds other records")
    for (id, version) in hubRecords {
      try require(replayed[id]!.state == version.state && replayed[id]!.vector == version.vector, "replay differs on \(id)")
    }
    // The conflicts of the final state are a pure function of the edits received.
    let left = try Self.finalCollisions(hub, records: Array(hubRecords.keys))
    let right = try Self.finalCollisions(replay, records: Array(hubRecords.keys))
    try require(left == right, "final collisions differ: \(left) vs \(right)")
    for (id, fields) in left where !fields.isEmpty {
      let queued = conflicts.first { $0.recordID == id }
      try require(queued.map { Set(fields).isSubset(of: Set($0.fields)) } ?? false, "collision on \(id) is not in the queue")
    }
  }

  /// True when `change` wrote back the value the field had in its common ancestor with a
  /// concurrent edit of the same field. Three-way merge then sees only the concurrent edit
  /// as a change, so that edit's value rightly stands: nothing the writer meant was lost.
  static func restoredAncestor(_ change: Change, field: String, among changes: [Change], in hub: Hub) throws -> Bool {
    guard let history = try hub.history(of: change.recordID), let written = change.fields[field] else { return false }
    for other in changes where other.fields[field] != nil && other.vector.compare(change.vector) == .concurrent {
      let ancestor = change.vector.meet(other.vector)
      guard !ancestor.isEmpty, let base = try? history.resolve(ancestor) else { continue }
      if base.state[field] == written { return true }
    }
    return false
  }

  /// Sets merge element by element, so a set edit survives when every element it added is
  /// still there and every element it removed is gone (in the final state or a conflict side) — unless another edit, concurrent or
  /// later, removed or added that element again.
  static func setEditSurvives(_ change: Change, field: String, final: RecordState, among changes: [Change], in hub: Hub) throws -> Bool {
    guard let history = try hub.history(of: change.recordID) else { return false }
    func elements(_ value: FieldValue) -> Set<String> {
      if case .strings(let values) = value { return Set(values) }
      return []
    }
    func parent(of edit: Change) throws -> Set<String> { elements(try history.resolve(edit.parentVector).state[field]) }
    let before = try parent(of: change)
    let after = elements(change.fields[field]!)
    let finalElements = elements(final[field])
    let others = changes.filter { $0.vector != change.vector && !change.vector.dominatesOrEquals($0.vector) && $0.fields[field] != nil }
    for added in after.subtracting(before) where !finalElements.contains(added) {
      let removedElsewhere = try others.contains { try parent(of: $0).contains(added) && !elements($0.fields[field]!).contains(added) }
      if !removedElsewhere { return false }
    }
    for removed in before.subtracting(after) where finalElements.contains(removed) {
      let addedElsewhere = try others.contains { try !parent(of: $0).contains(removed) && elements($0.fields[field]!).contains(removed) }
      if !addedElsewhere { return false }
    }
    return true
  }

  static func finalCollisions(_ hub: Hub, records: [RecordID]) throws -> [RecordID: [FieldConflict]] {
    var result: [RecordID: [FieldConflict]] = [:]
    for id in records {
      let history = try hub.history(of: id)
      result[id] = try history?.current()?.conflicts ?? []
    }
    return result
  }

  /// True when `actual` still carries `written`: equal, or for sets every element written
  /// present, or for text every line written present.
  static func holds(_ actual: FieldValue, _ written: FieldValue) -> Bool {
    if actual == written { return true }
    switch (actual, written) {
    case (.strings(let have), .strings(let wrote)): return Set(wrote).isSubset(of: Set(have)) || Set(have).isSubset(of: Set(wrote))
    case (.string(let have), .string(let wrote)) where wrote.contains("\n") || have.contains("\n"):
      let haveLines = Set(have.split(separator: "\n"))
      return wrote.split(separator: "\n").contains { haveLines.contains($0) }
    default: return false
    }
  }

  static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw SimulationFailure(message()) }
  }
}

struct SimulationFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

extension Optional {
  func unwrap(_ message: String) throws -> Wrapped {
    guard let self else { throw SimulationFailure(message) }
    return self
  }
}
