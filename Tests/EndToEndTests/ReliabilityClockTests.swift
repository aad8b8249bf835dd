import Foundation
import RenkeiCore
import RenkeiStore
import Testing

/// The same offline edits and syncs, through the `renkei` binary, once with true clocks and
/// once with skewed ones (`RENKEI_CLOCK_OFFSET_MS`): saitama a day ahead, yamanashi an hour
/// behind, and kanto's clock set back twelve hours between its edits and the sync that
/// pushes them (and for everything it does after).
///
/// Clocks only stamp edits, so only what stamps decide may differ: which side of a conflict
/// stands provisionally (its values in the conflicting fields, and for an edit against a
/// delete whether the record shows as deleted). Everything version vectors decide must be
/// identical, and is compared exactly: the set of records; for records in no conflict, their
/// fields, tombstone and vector; for records in conflict, their vector, the set of
/// (field, rule) in conflict, the sites and vectors of the conflict's sides, and every
/// field outside the conflict (the whole record when a delete is involved, since the
/// provisional winner then decides all of it). Every replica must end where its hub is.
@Suite struct ReliabilityClockTests {
  struct Edit {
    var site: String
    var record: String
    var field: String
    var value: FieldValue
  }

  /// What a run leaves at the hub, split into what vectors decide and what stamps decide.
  struct Outcome {
    var records: [String: (state: RecordState, vector: VersionVector)] = [:]
    var conflicts: [String: (fields: [FieldConflict], sides: [String])] = [:]
    var provisional: [String: String] = [:]
    var lostEdits: [String] = []
    var divergent: [String] = []
  }

  static let day: Int64 = 86_400_000
  static let hour: Int64 = 3_600_000

  static func run(skewed: Bool) throws -> Outcome {
    let world = try ReliabilityWorld(skewed ? "clock-skewed" : "clock-true")
    // kanto edits with its clock six hours ahead, then the clock jumps back twelve hours.
    var kantoOffset = skewed ? 6 * hour : 0
    func offset(_ site: String) -> [String: String] {
      guard skewed else { return ["RENKEI_CLOCK_OFFSET_MS": "0"] }
      switch site {
      case "saitama": return ["RENKEI_CLOCK_OFFSET_MS": String(day)]
      case "yamanashi": return ["RENKEI_CLOCK_OFFSET_MS": String(-hour)]
      default: return ["RENKEI_CLOCK_OFFSET_MS": String(kantoOffset)]
      }
    }
    var edits: [Edit] = []
    func edit(_ site: String, _ record: String, _ field: String, _ value: String, option: String? = nil) throws {
      try world.ok(site, ["event", "edit", record, "--\(option ?? field)", value], environment: offset(site))
      let parsed: FieldValue = Int64(value).map(FieldValue.integer) ?? .text(value)
      edits.removeAll { $0.site == site && $0.record == record && $0.field == field }
      edits.append(Edit(site: site, record: record, field: field, value: parsed))
    }
    func sync(_ order: [String]) throws {
      for site in order { try world.ok(site, ["sync"], environment: offset(site)) }
    }

    // Records with fixed ids, imported on each site.
    for (site, prefecture, count) in [("saitama", "11", 6), ("yamanashi", "19", 4), ("kanto", "", 3)] {
      let csv = world.root + "/\(site).csv"
      try ReliabilityWorkload.csv(rows: count, prefix: "clock-\(site)", prefecture: prefecture).write(
        toFile: csv, atomically: true, encoding: .utf8)
      try world.ok(site, ["import", "events", csv], environment: offset(site))
    }
    try sync(["saitama", "yamanashi", "kanto", "saitama", "yamanashi"])

    // Offline, concurrently: the same field two ways, different fields, the same text
    // lines, an edit against a delete, and edits nobody else touches.
    try edit("saitama", "clock-saitama-0", "venue", "浦和コミュニティセンター")
    try edit("kanto", "clock-saitama-0", "venue", "大宮ソニックシティ")
    try edit("saitama", "clock-saitama-1", "participants", "48")
    try edit("kanto", "clock-saitama-1", "notes", "講師: 厚生局\n")
    try edit("saitama", "clock-saitama-2", "notes", "1. 開会\n2. 講演 (県)\n")
    try edit("kanto", "clock-saitama-2", "notes", "1. 開会\n2. 講演 (厚生局)\n")
    try world.ok("saitama", ["event", "delete", "clock-saitama-3"], environment: offset("saitama"))
    try edit("kanto", "clock-saitama-3", "venue", "さいたま新都心")
    try edit("yamanashi", "clock-yamanashi-0", "status", "held")
    try edit("kanto", "clock-yamanashi-0", "status", "cancelled")
    try edit("yamanashi", "clock-yamanashi-1", "participants", "35")
    try edit("kanto", "clock-kanto-0", "venue", "厚生局 会議室")
    // kanto's clock is set back before it syncs.
    if skewed { kantoOffset = -6 * hour }
    try sync(["kanto", "saitama", "yamanashi", "kanto", "saitama", "yamanashi"])

    // A second round, written after everyone has seen the first: a new edit joins a
    // conflict, others merge cleanly.
    try edit("saitama", "clock-saitama-0", "venue", "さいたま市民会館")
    try edit("kanto", "clock-saitama-1", "venue", "川越市")
    try edit("yamanashi", "clock-yamanashi-0", "participants", "12")
    try edit("kanto", "clock-saitama-4", "status", "postponed")
    try edit("saitama", "clock-saitama-4", "participants", "20")
    try sync(["yamanashi", "saitama", "kanto", "saitama", "yamanashi", "kanto"])

    var outcome = Outcome()
    var sides: [String: [RecordVersion]] = [:]
    try ReliabilityWorld.withDatabase(world.hubDatabasePath) { db in
      for row in try db.prepare("SELECT id, state, deleted, vector, stamp FROM records").rows() {
        let id = try row.string(0)
        outcome.records[id] = (
          RecordState(fields: try CanonicalJSON.decode(RecordFields.self, from: try row.string(1)), deleted: try row.int64(2) != 0),
          try CanonicalJSON.decode(VersionVector.self, from: try row.string(3))
        )
        outcome.provisional[id] = try CanonicalJSON.decode(VersionStamp.self, from: try row.string(4)).writer.description
      }
      for row in try db.prepare("SELECT record_id, fields, sides FROM conflicts WHERE status = 'open'").rows() {
        let versions = try CanonicalJSON.decode([RecordVersion].self, from: try row.string(2))
        sides[try row.string(0)] = versions
        outcome.conflicts[try row.string(0)] = (
          Set(try CanonicalJSON.decode([FieldConflict].self, from: try row.string(1))).sorted(),
          versions.map { "\($0.stamp.writer.site) \($0.vector)" }.sorted()
        )
      }
    }
    for edit in edits {
      let record = outcome.records[edit.record]
      let standing = record?.state[edit.field] == edit.value
      let inConflict = (sides[edit.record] ?? []).contains { $0.state[edit.field] == edit.value }
      if !standing && !inConflict { outcome.lostEdits.append("\(edit.site) \(edit.record).\(edit.field)=\(edit.value)") }
    }
    outcome.divergent = try world.siteNames.flatMap { name in try world.divergence(name).map { "\(name) \($0)" } }
    return outcome
  }

  @Test func skewedClocksChangeNothingVectorsDecide() throws {
    let truth = try Self.run(skewed: false)
    let skewed = try Self.run(skewed: true)

    var differences: [String] = []
    if Set(truth.records.keys) != Set(skewed.records.keys) { differences.append("the sets of records differ") }
    if Set(truth.conflicts.keys) != Set(skewed.conflicts.keys) {
      differences.append("records in conflict: \(truth.conflicts.keys.sorted()) vs \(skewed.conflicts.keys.sorted())")
    }
    var comparedFields = 0
    for (id, record) in truth.records {
      guard let other = skewed.records[id] else { continue }
      if record.vector != other.vector { differences.append("\(id) vector \(record.vector) vs \(other.vector)") }
      guard let conflict = truth.conflicts[id] else {
        comparedFields += record.state.fields.count
        if record.state != other.state { differences.append("\(id) state differs") }
        continue
      }
      guard let otherConflict = skewed.conflicts[id] else { continue }
      if conflict.fields != otherConflict.fields { differences.append("\(id) conflict \(conflict.fields) vs \(otherConflict.fields)") }
      if conflict.sides != otherConflict.sides { differences.append("\(id) sides \(conflict.sides) vs \(otherConflict.sides)") }
      // Outside the conflicting fields the record is what the vectors say, unless a
      // delete is involved: then the provisional winner decides the whole record.
      guard !conflict.fields.contains(where: { $0.rule == .editDelete }) else { continue }
      let colliding = Set(conflict.fields.map(\.field))
      for (field, value) in record.state.fields where !colliding.contains(field) {
        comparedFields += 1
        if other.state[field] != value { differences.append("\(id).\(field) \(value) vs \(other.state[field])") }
      }
    }
    let winners = truth.conflicts.keys.sorted().map { "\($0): \(truth.provisional[$0] ?? "?") / \(skewed.provisional[$0] ?? "?")" }
    print(
      """
      [Reliability 7: clock skew] saitama +1 day, yamanashi −1 hour, kanto +6 h set back to −6 h between its edits and its sync: \
      \(truth.records.count) records, \(truth.conflicts.count) in conflict; \(differences.count) differences from the run with true clocks \
      in what version vectors decide (\(comparedFields) fields of records compared exactly, plus vectors, conflicting fields and rules, \
      sides' sites and vectors)
        conflicts: \(truth.conflicts.keys.sorted().map { "\($0) \(truth.conflicts[$0]!.fields.map { "\($0.field)/\($0.rule.rawValue)" })" }.joined(separator: "; "))
        provisional writer, true / skewed clocks: \(winners.joined(separator: "; "))
        edits neither standing nor in a conflict side: true clocks \(truth.lostEdits), skewed \(skewed.lostEdits); \
      replicas converged: true clocks \(truth.divergent.isEmpty ? "yes" : "NO"), skewed \(skewed.divergent.isEmpty ? "yes" : "NO")
      """)
    let converged = truth.divergent.isEmpty && skewed.divergent.isEmpty
    print(
      "FIGURE 7 | clock skew | agents +1 day, −1 hour, and +6 h set back to −6 h between edits and sync: \(truth.records.count) records, \(truth.conflicts.count) in conflict; \(differences.count) differences from true clocks in states, vectors, conflicting fields and sides (\(comparedFields) fields compared); edits neither standing nor in review: \(truth.lostEdits.count) true, \(skewed.lostEdits.count) skewed; \(converged ? "converged" : "NOT converged")"
    )
    #expect(differences.isEmpty, "\(differences.prefix(10))")
    #expect(truth.conflicts.count >= 4, "the script makes the conflicts it means to")
    // Whichever side stands provisionally, every edit stands or waits in a conflict's side.
    #expect(truth.lostEdits.isEmpty && skewed.lostEdits.isEmpty, "\(truth.lostEdits) \(skewed.lostEdits)")
    #expect(truth.divergent.isEmpty && skewed.divergent.isEmpty, "\((truth.divergent + skewed.divergent).prefix(5))")
  }
}
