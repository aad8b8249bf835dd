import Foundation
import RenkeiCore
import RenkeiStore
import Testing

@Suite struct ReplicaTests {
  static var examples: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Examples/data")
  }

  func makeReplica(scope: String = "11", site: String = "saitama") throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: "田中")
  }

  let seminar: RecordFields = [
    "scope": .string("11"), "kind": .string("seminar"), "title": .text("これからの地域づくり戦略"),
    "starts_on": .string("2019-06-03"), "co_hosts": .set(["埼玉県"]), "status": .string("held"),
  ]

  @Test func everyWriteLogsOneChangeWithAGapFreeSequence() throws {
    let replica = try makeReplica()
    let created = try replica.create(.event, fields: seminar)
    let edited = try replica.update(created.recordID, fields: ["venue": .text("講堂")])
    let deleted = try replica.delete(created.recordID)
    #expect([created.sequence, edited.sequence, deleted.sequence] == [1, 2, 3])
    #expect(edited.fields == ["venue": .string("講堂")])
    #expect(edited.parentVector == created.vector)
    #expect(deleted.vector[replica.writer] == 3 && deleted.vector.counters.count == 1)
    #expect(try replica.pendingChanges().map(\.sequence) == [1, 2, 3])
    #expect(try replica.record(created.recordID)?.state.deleted == true)
    #expect(try replica.records().isEmpty)
  }

  /// A laptop's clock set back twelve hours while `renkei` runs, and again before the next
  /// run: every later edit still carries a later stamp than the edits before it, so no rule
  /// that orders by stamp can put an edit behind one its own site made earlier.
  @Test func editsAfterTheClockStepsBackStillFollowTheEarlierOnes() throws {
    let directory = try SQLiteScratchDirectory()
    defer { directory.remove() }
    let start: Int64 = 1_700_000_000_000
    let twelveHours: Int64 = 12 * 3_600_000
    let replica = try Replica.create(
      at: directory.path("replica.db"), site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中", wallClock: { start })
    let created = try replica.create(.event, fields: seminar)
    replica.wallClock = { start - twelveHours }
    let retitled = try replica.update(created.recordID, fields: ["title": .text("地域づくり戦略（第2回）")])
    let moved = try replica.update(created.recordID, fields: ["venue": .text("講堂")])
    #expect(created.timestamp < retitled.timestamp && retitled.timestamp < moved.timestamp)
    #expect(retitled.timestamp.milliseconds == start, "the stamp holds at the latest time seen, counting on")
    replica.database.close()

    // The next run starts with the clock still twelve hours behind, then a day behind.
    let reopened = try Replica(path: directory.path("replica.db"), wallClock: { start - 2 * twelveHours })
    let held = try reopened.update(created.recordID, fields: ["status": .string("planned")])
    #expect(moved.timestamp < held.timestamp)
    #expect(try reopened.pendingChanges().map(\.timestamp) == [created, retitled, moved, held].map(\.timestamp))
    // When the clock comes right again, stamps follow it.
    reopened.wallClock = { start + twelveHours }
    let later = try reopened.update(created.recordID, fields: ["participants": .integer(40)])
    #expect(later.timestamp.milliseconds == start + twelveHours && held.timestamp < later.timestamp)
  }

  @Test func countsOfPendingChangesAndConflictsFollowWritesAcknowledgementsAndPulls() throws {
    let replica = try makeReplica()
    #expect(try replica.pendingChangeCount() == 0 && replica.openConflictCount() == 0)
    let created = try replica.create(.event, fields: seminar)
    _ = try replica.update(created.recordID, fields: ["venue": .text("講堂")])
    _ = try replica.create(.event, fields: seminar)
    #expect(try replica.pendingChangeCount() == 3)
    try replica.acknowledge(through: 2)
    #expect(try replica.pendingChangeCount() == 1)
    #expect(try replica.pendingChangeCount() == replica.pendingChanges(limit: .max).count)

    let other = WriterID(site: SiteID(rawValue: "yamanashi")!, epoch: 1)
    let version = RecordVersion(
      kind: .event, recordID: try RecordID("pulled-in-conflict"), state: RecordState(fields: seminar),
      vector: VersionVector([other: 1]), stamp: VersionStamp(writer: other, author: "佐藤", timestamp: HybridTimestamp(milliseconds: 1)))
    let conflict = ConflictSummary(id: 7, conflicts: [FieldConflict(field: "venue", rule: .differentValues)], sites: [other.site])
    try replica.apply(
      [FeedEntry(position: 1, scope: try Scope("11"), version: version, conflict: conflict)], cursor: 1)
    #expect(try replica.openConflictCount() == 1)
    #expect(try replica.openConflictCount() == replica.records(includeDeleted: true).filter { $0.conflict != nil }.count)
  }

  @Test func refusedWritesChangeNothing() throws {
    let replica = try makeReplica()
    let created = try replica.create(.event, fields: seminar)
    #expect(throws: ReplicaError.self) { try replica.update(created.recordID, fields: ["starts_on": .string("2019-02-30")]) }
    #expect(throws: ReplicaError.self) { try replica.update(created.recordID, fields: ["scope": .string("19")]) }
    #expect(throws: ReplicaError.self) { try replica.update(created.recordID, fields: ["title": .text("これからの地域づくり戦略")]) }
    #expect(throws: ReplicaError.self) { try replica.update(try RecordID("no-such-record"), fields: ["title": .text("x")]) }
    #expect(throws: ReplicaError.self) { try replica.create(.event, fields: seminar.merging(["scope": .string("19")]) { $1 }) }
    #expect(try replica.pendingChanges().count == 1)
    #expect(try replica.record(created.recordID)?.version.vector == created.vector)
  }

  @Test func theLedgerIsAppendOnly() throws {
    let replica = try makeReplica()
    let entry = try replica.create(
      .fundEntry,
      fields: [
        "scope": .string("11"), "programme": .text("介護従事者確保分"), "kind": .string("initial-decision"),
        "amount": .integer(12_000_000), "occurred_on": .string("2023-09-01"),
      ])
    let error = #expect(throws: ReplicaError.self) { try replica.update(entry.recordID, fields: ["amount": .integer(13_000_000)]) }
    #expect(error?.code == .ledgerIsAppendOnly)
    #expect(throws: ReplicaError.self) { try replica.delete(entry.recordID) }
    try replica.update(entry.recordID, fields: ["memo": .text("交付決定通知受領")])
    try replica.create(
      .fundEntry,
      fields: [
        "scope": .string("11"), "programme": .text("介護従事者確保分"), "kind": .string("correction"), "amount": .integer(-500_000),
        "occurred_on": .string("2023-09-15"), "corrects": .string(entry.recordID.rawValue),
      ])
    #expect(try replica.records(kind: .fundEntry).count == 2)
  }

  @Test func aClosedFiscalYearRefusesLocalEdits() throws {
    let replica = try makeReplica()
    let grant = try replica.create(
      .fundEntry,
      fields: [
        "scope": .string("11"), "programme": .text("地域支援事業交付金"), "kind": .string("initial-decision"),
        "amount": .integer(5_000_000), "fiscal_year": .integer(2022), "occurred_on": .string("2022-09-01"),
      ])
    try replica.create(
      .fundEntry,
      fields: [
        "scope": .string("11"), "programme": .text("地域支援事業交付金"), "kind": .string("final-determination"),
        "amount": .integer(0), "fiscal_year": .integer(2022), "occurred_on": .string("2023-12-01"),
      ])
    let error = #expect(throws: ReplicaError.self) { try replica.update(grant.recordID, fields: ["memo": .text("追記")]) }
    #expect(error?.code == .closedYear)
    #expect(error?.message.contains("令和4年度") == true)
  }

  @Test func importingTheFixtureKeepsEveryField() throws {
    let text = try String(contentsOf: Self.examples.appendingPathComponent("events.csv"), encoding: .utf8)
    let rows = try EventImport.rows(of: try CSVTable(parsing: text))
    #expect(rows.count == 60)
    let kanto = try makeReplica(scope: "kanto-shinetsu", site: "kanto")
    let tohoku = try makeReplica(scope: "tohoku", site: "tohoku")
    #expect(try kanto.importEvents(rows, onlyMine: true) == ImportSummary(imported: 35, skippedOutOfScope: 25))
    #expect(try tohoku.importEvents(rows, onlyMine: true) == ImportSummary(imported: 25, skippedOutOfScope: 35))

    let table = try CSVTable(parsing: text).namedRows
    for (_, values) in table {
      let id = try RecordID(values["id"]!)
      let stored = try #require(try kanto.record(id) ?? tohoku.record(id))
      guard case .event(let event) = try #require(stored.record) else { Issue.record("\(id) is not an event"); continue }
      #expect(event.scope.rawValue == (values["prefecture"]!.isEmpty ? values["bureau"]! : values["prefecture"]!))
      #expect(event.fiscalYear.startYear == Int(values["fiscal_year"]!))
      #expect(event.kind.rawValue == values["kind"])
      #expect(event.title == values["title"])
      #expect((event.startsOn?.iso ?? "") == values["starts_on"])
      #expect((event.endsOn?.iso ?? "") == values["ends_on"])
      #expect((event.venue ?? "") == values["venue"])
      #expect(event.coHosts == values["co_hosts"]!.split(separator: ";").map(String.init).sorted())
      #expect(event.participants.map(String.init) ?? "" == values["participants"])
      #expect(event.status.rawValue == values["status"])
      #expect(event.source == values["source"])
    }
    let monthOnly = try #require(try tohoku.record(RecordID("th-exchange-2020-10"))?.record)
    #expect(monthOnly.fields["starts_on"] == .string("2020-10"))
    #expect(try tohoku.record(RecordID("th-seminar-2021-01-19"))?.state["participants"] == .integer(33))
  }

  @Test func aBadRowInTheMiddleRefusesTheWholeFile() throws {
    let text = try String(contentsOf: Self.examples.appendingPathComponent("events.csv"), encoding: .utf8)
    var lines = text.components(separatedBy: "\r\n")
    lines[20] = lines[20].replacingOccurrences(of: ",held,", with: ",finished,")
    let error = #expect(throws: EventImportError.self) { try EventImport.rows(of: try CSVTable(parsing: lines.joined(separator: "\r\n"))) }
    #expect(error?.line == 21)
    #expect(error?.message.contains("status") == true)

    let rows = try EventImport.rows(of: try CSVTable(parsing: text))
    let saitama = try makeReplica()
    let outside = #expect(throws: ReplicaError.self) { try saitama.importEvents(rows, onlyMine: false) }
    #expect(outside?.code == .outOfScope)
    #expect(try saitama.records().isEmpty && saitama.pendingChanges().isEmpty)
  }
}
