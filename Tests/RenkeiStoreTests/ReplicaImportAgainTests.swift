import RenkeiCore
import RenkeiStore
import Testing

/// Staff import their spreadsheet again after adding rows: rows already imported are
/// counted, new rows imported, and a row that no longer agrees with its record refuses the file.
@Suite struct ReplicaImportAgainTests {
  static let header = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\r\n"
  static let first = "e-1,kanto-shinetsu,11,2023,seminar,認知症研修,2023-06-01,,さいたま市,県;市,40,held,test\r\n"
  static let second = "e-2,kanto-shinetsu,11,2023,council,協議会,2023-07-01,,,,,planned,test\r\n"
  static let third = "e-3,kanto-shinetsu,,2023,training,在宅医療研修,2023-08-01,,,,,planned,test\r\n"

  func rows(_ lines: String...) throws -> [EventImport.Row] {
    try EventImport.rows(of: try CSVTable(parsing: Self.header + lines.joined()))
  }

  func makeReplica() throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
  }

  @Test func rowsAlreadyImportedAreCountedAndNewRowsImported() throws {
    let replica = try makeReplica()
    #expect(
      try replica.importEvents(try rows(Self.first, Self.second), onlyMine: false) == ImportSummary(imported: 2, skippedOutOfScope: 0))
    let before = try replica.pendingChanges()
    // The file again, unchanged: nothing to do, nothing written.
    #expect(
      try replica.importEvents(try rows(Self.first, Self.second), onlyMine: false)
        == ImportSummary(imported: 0, skippedOutOfScope: 0, alreadyPresent: 2))
    #expect(try replica.pendingChanges() == before)
    // With a row added (and one outside the scope, with --only-mine): only the new row is written.
    let summary = try replica.importEvents(try rows(Self.first, Self.second, Self.third), onlyMine: true)
    #expect(summary == ImportSummary(imported: 0, skippedOutOfScope: 1, alreadyPresent: 2))
    let fourth = "e-4,kanto-shinetsu,11,2023,visit,訪問,2023-09-01,,,,,planned,test\r\n"
    #expect(
      try replica.importEvents(try rows(Self.first, fourth, Self.second), onlyMine: false)
        == ImportSummary(imported: 1, skippedOutOfScope: 0, alreadyPresent: 2))
    #expect(try replica.pendingChanges().count == 3)
    #expect(try replica.records(kind: .event).map(\.id.rawValue) == ["e-1", "e-2", "e-4"])
  }

  /// Fields the file has no column for (notes, audience) may be added after an import
  /// without the row differing.
  @Test func fieldsTheFileDoesNotGiveDoNotMakeARowDiffer() throws {
    let replica = try makeReplica()
    _ = try replica.importEvents(try rows(Self.first), onlyMine: false)
    try replica.update(RecordID("e-1"), fields: ["notes": .text("受付は9時半"), "audience": .text("介護支援専門員")])
    #expect(
      try replica.importEvents(try rows(Self.first, Self.second), onlyMine: false)
        == ImportSummary(imported: 1, skippedOutOfScope: 0, alreadyPresent: 1))
  }

  @Test func rowsWhoseIdsHoldOtherContentRefuseTheWholeFileNamingWhatDiffers() throws {
    let replica = try makeReplica()
    _ = try replica.importEvents(try rows(Self.first, Self.second), onlyMine: false)
    try replica.update(RecordID("e-1"), fields: ["venue": .text("川越市"), "participants": .integer(45)])
    try replica.delete(RecordID("e-2"))
    try replica.create(
      .note, id: RecordID("e-5"), fields: ["scope": .string("11"), "topic": .text("ヒアリング"), "fiscal_year": .integer(2023)])
    let before = try replica.pendingChanges()
    let fifth = "e-5,kanto-shinetsu,11,2023,hearing,ヒアリング,2023-10-01,,,,,planned,test\r\n"
    let new = "e-6,kanto-shinetsu,11,2023,visit,訪問,2023-11-01,,,,,planned,test\r\n"
    let error = #expect(throws: ReplicaError.self) {
      try replica.importEvents(try rows(Self.first, new, Self.second, fifth), onlyMine: false)
    }
    #expect(error?.code == .alreadyExists)
    #expect(
      error?.message
        == "3 rows have ids already on this replica with different content, which an import never overwrites: "
        + "line 2: e-1 (venue: \"川越市\" here, \"さいたま市\" in the file, participants: 45 here, 40 in the file); "
        + "line 4: e-2 (the event was deleted here); line 5: e-5 (a note has this id here); "
        + "make the file and those records agree (renkei event show ID, renkei event edit ID), then import again")
    // Nothing changed: the new row was not imported either.
    #expect(try replica.pendingChanges() == before)
    #expect(try replica.record(RecordID("e-6")) == nil)
    #expect(try replica.record(RecordID("e-1"))?.state["venue"] == .string("川越市"))
  }

  @Test func manyDifferingRowsAreAllNamed() throws {
    let replica = try makeReplica()
    let lines = (1...25).map { "d-\($0),kanto-shinetsu,11,2023,seminar,研修\($0),2023-06-01,,,,,planned,test\r\n" }
    _ = try replica.importEvents(try EventImport.rows(of: try CSVTable(parsing: Self.header + lines.joined())), onlyMine: false)
    let changed = lines.map { $0.replacingOccurrences(of: ",planned,", with: ",held,") }
    let error = #expect(throws: ReplicaError.self) {
      try replica.importEvents(try EventImport.rows(of: try CSVTable(parsing: Self.header + changed.joined())), onlyMine: false)
    }
    let message = try #require(error?.message)
    #expect(message.hasPrefix("25 rows have ids already on this replica with different content"))
    #expect(message.contains("line 21: d-20 (status: \"planned\" here, \"held\" in the file); and 5 more: line 22: d-21, line 23: d-22, "))
    #expect(message.contains("line 26: d-25; make the file"))
  }

  @Test func theDifferencesAreComparedInNormalForm() throws {
    let row = try rows(Self.first)[0].event
    #expect(EventImport.differences(of: row, fromStored: row.fields).isEmpty)
    // A stored record that lacks a field (an older writer's) still compares equal.
    var stored = row.fields
    stored["audience"] = nil
    stored["notes"] = nil
    #expect(EventImport.differences(of: row, fromStored: stored).isEmpty)
    stored["co_hosts"] = .strings(["県"])
    #expect(EventImport.differences(of: row, fromStored: stored) == [#"co_hosts: ["県"] here, ["市", "県"] in the file"#])
  }
}
