import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The conflict-rule rows that look beyond a single record, through the hub.
@Suite struct LedgerRuleTests {
  func replica(_ site: String, _ scope: String) throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func entry(_ amount: Int64, kind: String = "deposit", year: Int64 = 2023, on date: String = "2023-10-02") -> RecordFields {
    [
      "scope": .string("11"), "programme": .text("地域医療介護総合確保基金 介護従事者確保分"), "kind": .string(kind),
      "amount": .integer(amount), "occurred_on": .string(date), "fiscal_year": .integer(year),
    ]
  }

  /// A hub and two offices of Kanto-Shinetsu that sync with it: Saitama and the bureau.
  func world() throws -> (hub: Hub, saitama: Replica, bureau: Replica) {
    (try Hub(path: ":memory:"), try replica("saitama", "11"), try replica("kanto", "kanto-shinetsu"))
  }

  func sync(_ replica: Replica, _ hub: Hub) throws {
    let pending = try replica.pendingChanges()
    if !pending.isEmpty {
      try replica.acknowledge(through: try hub.push(pending, from: replica.site, scope: replica.scope).acknowledgedSequence)
    }
    let page = try hub.pull(for: replica.scope, after: try replica.pullCursor, limit: 1000)
    try replica.apply(page.entries, cursor: page.cursor)
  }

  @Test func newFundEntriesFromTwoSitesNeverConflictAndBothCount() throws {
    let (hub, saitama, bureau) = try world()
    try saitama.create(.fundEntry, fields: entry(3_000_000))
    try bureau.create(.fundEntry, fields: entry(2_000_000, on: "2023-10-03"))
    for site in [saitama, bureau, saitama] { try sync(site, hub) }
    #expect(try hub.openConflicts().isEmpty)
    let sum = try saitama.records(kind: .fundEntry).compactMap { record -> Int64? in
      if case .integer(let amount) = record.state["amount"] { return amount }
      return nil
    }.reduce(0, +)
    #expect(sum == 5_000_000)
  }

  @Test func lookAlikeEntriesFromTwoSitesAreFlaggedAsPossibleDuplicates() throws {
    let (hub, saitama, bureau) = try world()
    let first = try saitama.create(.fundEntry, fields: entry(3_000_000))
    let second = try bureau.create(.fundEntry, fields: entry(3_000_000))
    try sync(saitama, hub)
    try sync(bureau, hub)
    let conflicts = try hub.openConflicts()
    #expect(conflicts.count == 1)
    #expect(conflicts.first?.recordID == second.recordID)
    #expect(conflicts.first?.related == [first.recordID])
    #expect(conflicts.first?.fields.map(\.rule) == [.possibleDuplicate])
    // Both still count until a person decides.
    #expect(try hub.allRecords().filter { $0.kind == .fundEntry }.count == 2)
  }

  @Test func editsIntoAClosedYearAreFlaggedAtTheHub() throws {
    let (hub, saitama, bureau) = try world()
    // The bureau records FY2022's final determination while Saitama, offline, adds an entry.
    try bureau.create(.fundEntry, fields: entry(0, kind: "final-determination", year: 2022, on: "2023-12-01"))
    let late = try saitama.create(.fundEntry, fields: entry(400_000, kind: "execution", year: 2022, on: "2023-03-20"))
    try sync(bureau, hub)
    try sync(saitama, hub)
    let conflict = try #require(try hub.openConflicts().first)
    #expect(conflict.recordID == late.recordID)
    #expect(conflict.fields.contains { $0.rule == .closedYear })
    // Saitama now holds the determination, so it refuses further edits of that year itself.
    #expect(throws: ReplicaError.self) { try saitama.create(.fundEntry, fields: entry(1, kind: "interest", year: 2022, on: "2023-03-21")) }
  }

  /// After the year's final determination only a correction of the determination itself
  /// goes through; a correction of another entry, made by an office that had not yet heard
  /// the year was closed, goes to a person at the hub, as the replica would have refused it.
  @Test func aCorrectionInAClosedYearGoesToAPersonUnlessItCorrectsTheDetermination() throws {
    let (hub, saitama, bureau) = try world()
    let execution = try saitama.create(.fundEntry, fields: entry(400_000, kind: "execution", year: 2022, on: "2023-03-20"))
    try sync(saitama, hub)
    try sync(bureau, hub)
    let determination = try bureau.create(.fundEntry, fields: entry(0, kind: "final-determination", year: 2022, on: "2023-12-01"))
    try sync(bureau, hub)
    // Saitama, not yet synced since, corrects its execution.
    var fields = entry(-100_000, kind: "correction", year: 2022, on: "2023-12-02")
    fields["corrects"] = .string(execution.recordID.rawValue)
    let late = try saitama.create(.fundEntry, fields: fields)
    try sync(saitama, hub)
    let conflict = try #require(try hub.openConflicts().first)
    #expect(conflict.recordID == late.recordID)
    #expect(conflict.fields.contains { $0.rule == .closedYear })
    #expect(conflict.related == [determination.recordID])

    // Now holding the determination, Saitama may still correct that.
    fields["corrects"] = .string(determination.recordID.rawValue)
    fields["occurred_on"] = .string("2023-12-03")
    let put = try saitama.create(.fundEntry, fields: fields)
    try sync(saitama, hub)
    #expect(try hub.openConflicts().map(\.recordID) == [late.recordID])
    #expect(try hub.record(put.recordID)?.state.deleted == false)
  }

  /// A determination deleted at the hub (an older agent's delete, which the hub merges: it
  /// does not re-check append-only) no longer closes its year, at the hub or at a replica
  /// that pulls the delete: both partial indexes forget it.
  @Test func aDeletedDeterminationNoLongerClosesTheYear() throws {
    let (hub, saitama, bureau) = try world()
    let determination = try bureau.create(.fundEntry, fields: entry(0, kind: "final-determination", year: 2022, on: "2023-12-01"))
    try sync(bureau, hub)
    let closed = try saitama.create(.fundEntry, fields: entry(1_000, kind: "interest", year: 2022, on: "2023-03-20"))
    try sync(saitama, hub)
    #expect(try hub.openConflicts().map(\.recordID) == [closed.recordID])

    let current = try #require(try hub.record(determination.recordID))
    let writer = bureau.writer
    let delete = Change(
      origin: writer, sequence: try hub.lastSequence(of: writer) + 1, kind: .fundEntry, recordID: determination.recordID,
      scope: try Scope("11"), operation: .delete, fields: [:], vector: current.vector.incremented(for: writer), author: "kanto",
      timestamp: HybridTimestamp(milliseconds: determination.timestamp.milliseconds + 60_000))
    try hub.push([delete], from: bureau.site, scope: bureau.scope)
    #expect(try hub.record(determination.recordID)?.state.deleted == true)

    // Saitama pulls the delete: its replica, which refused the year, takes an entry again.
    try sync(saitama, hub)
    let reopened = try saitama.create(.fundEntry, fields: entry(2_000, kind: "interest", year: 2022, on: "2023-03-21"))
    try sync(saitama, hub)
    #expect(try hub.openConflicts().map(\.recordID) == [closed.recordID], "the year is open again")
    #expect(try hub.record(reopened.recordID)?.state.deleted == false)
  }
}
