import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport
import Testing

/// An edit writes its rows through fast paths (the record updated in place, JSON bound as
/// bytes, the sequence number read with the record). Whatever path it takes, the rows must
/// be exactly what the change and the validated record say, byte for byte.
@Suite struct ReplicaStoredRowTests {
  static let titles = ["説明会", "  研修会 ", "か\u{3099}いき", "e\u{301}tude", "地域包括ケア推進会議（第2回）"]
  static let venues: [FieldValue] = [.null, .string("講堂"), .string("県庁 第二庁舎\n大会議室"), .string("\u{212B}会館")]

  func makeReplica() throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
  }

  /// A random edit of one or two fields: text that needs trimming or normalising, nulls,
  /// counts, dates (which move the fiscal year), statuses.
  static func edit(_ random: inout SplitMix64) -> RecordFields {
    var fields: RecordFields = [:]
    for _ in 0...random.below(2) {
      switch random.below(6) {
      case 0: fields["title"] = .string(titles[random.below(titles.count)] + String(random.below(50)))
      case 1: fields["venue"] = venues[random.below(venues.count)]
      case 2: fields["participants"] = random.below(3) == 0 ? .null : .integer(Int64(random.below(500)))
      case 3: fields["starts_on"] = .string("20\(20 + random.below(5))-0\(1 + random.below(9))-1\(random.below(9))")
      case 4: fields["status"] = .string(["planned", "held", "cancelled"][random.below(3)])
      default: fields["notes"] = .string("1. 開会\n" + String(repeating: "討議\n", count: random.below(4)))
      }
    }
    return fields
  }

  /// The record's row and its latest change row, as stored (none for a record only pulled).
  static func storedRows(_ replica: Replica, _ id: RecordID) throws -> (record: [DatabaseValue], change: [DatabaseValue]?) {
    let record = try replica.database.prepare(
      "SELECT kind, scope, fiscal_year, state, deleted, vector, stamp, conflict, local_edits FROM records WHERE id = ?"
    ).firstRow([.text(id.rawValue)])
    let change = try replica.database.prepare(
      "SELECT epoch, sequence, record_id, body FROM changes WHERE record_id = ? ORDER BY sequence DESC LIMIT 1"
    ).firstRow([.text(id.rawValue)])
    return (try #require(record).values, change?.values)
  }

  static func meta(_ replica: Replica, _ key: String) throws -> String? {
    try replica.database.prepare("SELECT value FROM replica_meta WHERE key = ?").firstRow([.text(key)]).map { try $0.string(0) }
  }

  @Test func randomEditsStoreExactlyTheChangeAndTheValidatedRecord() throws {
    let replica = try makeReplica()
    var random = SplitMix64(seed: 0xED17)
    let base: RecordFields = ["scope": .string("11"), "kind": .string("seminar"), "title": .string("説明会"), "starts_on": .string("2021-06-03")]
    var expected: [RecordID: RecordFields] = [:]
    var ids: [RecordID] = []
    var sequence: UInt64 = 0
    var updates = 0
    for step in 0..<400 {
      let change: Change
      if ids.isEmpty || random.below(8) == 0 {
        change = try replica.create(.event, fields: base.merging(Self.edit(&random)) { _, new in new })
        ids.append(change.recordID)
        expected[change.recordID] = try Record(kind: .event, id: change.recordID, fields: change.fields).fields
        #expect(change.fields == expected[change.recordID])
      } else {
        let id = ids[random.below(ids.count)]
        let edit = Self.edit(&random)
        // A new date may disagree with the stored fiscal year: the replica refuses what
        // validation refuses, and an edit that changes nothing.
        let merged = try? Record(kind: .event, id: id, fields: expected[id]!.merging(edit) { _, new in new }).fields
        guard let merged, merged.contains(where: { expected[id]![$0.key] != $0.value }) else {
          #expect(throws: ReplicaError.self) { try replica.update(id, fields: edit) }
          continue
        }
        let written = merged.filter { expected[id]![$0.key] != $0.value }
        change = try replica.update(id, fields: edit)
        updates += 1
        #expect(change.fields == written, "step \(step)")
        expected[id] = merged
      }
      sequence += 1
      #expect(change.sequence == sequence)
      let fields = try #require(expected[change.recordID])
      let rows = try Self.storedRows(replica, change.recordID)
      let year: DatabaseValue = if case .integer(let year)? = fields["fiscal_year"] { .integer(year) } else { .null }
      #expect(
        rows.record == [
          .text("event"), .text("11"), year, .text(try CanonicalJSON.encode(fields)), .integer(0),
          .text(try CanonicalJSON.encode(change.vector)), .text(try CanonicalJSON.encode(change.stamp)), .null, .integer(1),
        ], "step \(step)")
      #expect(rows.change == [.integer(1), .integer(Int64(sequence)), .text(change.recordID.rawValue), .text(try CanonicalJSON.encode(change))])
      #expect(try Self.meta(replica, "next_sequence") == String(sequence + 1))
      #expect(try Self.meta(replica, "hlc") == change.timestamp.rawValue)
      #expect(try replica.record(change.recordID)?.state.fields == fields)
    }
    // Most steps are edits that went through: the path under test ran.
    #expect(updates > 200, "\(updates) edits")
  }

  /// An edit that moves a record to another fiscal year moves it in the year's index too
  /// (an edit that keeps the year leaves that column, and its index entry, alone).
  @Test func anEditThatMovesTheFiscalYearMovesTheStoredYear() throws {
    let replica = try makeReplica()
    let created = try replica.create(
      .event, fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .string("説明会"), "starts_on": .string("2021-06-03")])
    func storedYear() throws -> DatabaseValue { try Self.storedRows(replica, created.recordID).record[2] }
    #expect(try storedYear() == .integer(2021))
    try replica.update(created.recordID, fields: ["title": .string("研修会")])
    #expect(try storedYear() == .integer(2021))
    let moved = try replica.update(created.recordID, fields: ["starts_on": .string("2022-04-01"), "fiscal_year": .integer(2022)])
    #expect(moved.fields["fiscal_year"] == .integer(2022))
    #expect(try storedYear() == .integer(2022))
    let byYear = try replica.database.prepare("SELECT id FROM records WHERE kind = 'event' AND fiscal_year = ?")
    #expect(try byYear.rows([.integer(2022)]).map { try $0.string(0) } == [created.recordID.rawValue])
    #expect(try byYear.rows([.integer(2021)]).isEmpty)
    try replica.update(created.recordID, fields: ["starts_on": .string("2021-12-24"), "fiscal_year": .integer(2021)])
    #expect(try storedYear() == .integer(2021))
  }

  /// A pulled record keeps its open conflict, byte for byte, through local edits and a
  /// delete, and the edits build on the pulled vector.
  @Test func anEditKeepsThePulledConflict() throws {
    let replica = try makeReplica()
    let id = try RecordID("pulled-1")
    let fields = try Record(
      kind: .event, id: id,
      fields: ["scope": .string("11"), "kind": .string("seminar"), "title": .string("説明会"), "starts_on": .string("2021-06-03")]
    ).fields
    let hub = WriterID(site: SiteID(rawValue: "gunma")!, epoch: 1)
    let version = RecordVersion(
      kind: .event, recordID: id, state: RecordState(fields: fields), vector: VersionVector([hub: 2]),
      stamp: VersionStamp(writer: hub, author: "佐藤", timestamp: HybridTimestamp(milliseconds: 1_700_000_000_000, counter: 0)))
    let conflict = ConflictSummary(
      id: 9, conflicts: [FieldConflict(field: "venue", rule: .differentValues)], sites: [SiteID(rawValue: "gunma")!],
      sides: [ConflictSide(version, fields: ["title"])])
    try replica.apply([FeedEntry(position: 1, scope: try Scope("11"), version: version, conflict: conflict)], cursor: 1)
    let storedConflict = try Self.storedRows(replica, id).record[7]
    #expect(storedConflict == .text(try CanonicalJSON.encode(conflict)))

    let edited = try replica.update(id, fields: ["venue": .string("講堂")])
    #expect(edited.parentVector == VersionVector([hub: 2]))
    var rows = try Self.storedRows(replica, id)
    #expect(rows.record[7] == storedConflict && rows.record[8] == .integer(1))
    #expect(rows.record[5] == .text(try CanonicalJSON.encode(edited.vector)))
    #expect(try replica.record(id)?.conflict == conflict)

    let deleted = try replica.delete(id)
    rows = try Self.storedRows(replica, id)
    #expect(rows.record[4] == .integer(1) && rows.record[7] == storedConflict)
    #expect(rows.change?[3] == .text(try CanonicalJSON.encode(deleted)))
    #expect(throws: ReplicaError.self) { try replica.update(id, fields: ["venue": .string("会議室")]) }
    #expect(try replica.pendingChanges().map(\.sequence) == [1, 2])
  }
}
