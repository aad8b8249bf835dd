import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// Every edit asks whether a final determination closes its record's year, at the hub and
/// at the replica: the question must be answered from the partial index of determinations,
/// not by reading every fund entry of the year. Checked on the statement each actually runs
/// (caught by the connection's statement log), through SQLite's own query plan.
@Suite struct FinalDeterminationIndexTests {
  static let index = "records_final_determinations"

  func entry(_ kind: String, _ amount: Int64, on date: String) -> RecordFields {
    [
      "scope": .string("11"), "programme": .text("地域支援事業交付金"), "kind": .string(kind), "amount": .integer(amount),
      "occurred_on": .string(date), "fiscal_year": .integer(2023),
    ]
  }

  func event(_ title: String) -> RecordFields {
    [
      "scope": .string("11"), "kind": .string("seminar"), "title": .text(title), "starts_on": .string("2023-11-20"),
      "status": .string("planned"),
    ]
  }

  /// The plan of each logged statement that asks for final determinations, one line each.
  func plans(in log: StatementLog, on database: Database) throws -> [String] {
    try log.entries.filter { $0.sql.contains("'final-determination'") }.map { entry in
      try database.prepare("EXPLAIN QUERY PLAN " + entry.sql).rows(entry.values).map { try $0.string(3) }.joined(separator: "; ")
    }
  }

  @Test func theHubAsksTheIndexForEveryKindOfRecord() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "saitama")
    for day in 1...30 {
      try saitama.create(.fundEntry, fields: entry("execution", Int64(day) * 1_000, on: "2023-06-\(day < 10 ? "0" : "")\(day)"))
    }
    try saitama.create(.event, fields: event("研修会"))
    let log = StatementLog()
    hub.database.statementLog = log
    try hub.push(try saitama.pendingChanges(), from: saitama.site, scope: saitama.scope)
    let plans = try plans(in: log, on: hub.database)
    #expect(plans.count == 31, "one question for each record pushed")
    for plan in plans { #expect(plan.contains("USING INDEX \(Self.index) (scope=? AND fiscal_year=?)"), "\(plan)") }
  }

  @Test func theReplicaAsksTheIndexForEachLocalEdit() throws {
    let replica = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "saitama")
    try replica.create(.fundEntry, fields: entry("initial-decision", 5_000_000, on: "2023-05-01"))
    let log = StatementLog()
    replica.database.statementLog = log
    let seminar = try replica.create(.event, fields: event("説明会"))
    try replica.update(seminar.recordID, fields: ["venue": .text("講堂")])
    let plans = try plans(in: log, on: replica.database)
    #expect(plans.count == 2)
    for plan in plans { #expect(plan.contains("USING INDEX \(Self.index) (scope=? AND fiscal_year=?)"), "\(plan)") }
  }

  /// The index holds the year's determinations and nothing else, as the queries' WHERE says.
  @Test func theIndexHoldsOnlyDeterminations() throws {
    let replica = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "saitama")
    try replica.create(.fundEntry, fields: entry("deposit", 1_000, on: "2023-05-01"))
    try replica.create(.event, fields: event("研修会"))
    let count = """
      SELECT count(*) FROM records INDEXED BY \(Self.index)
      WHERE kind = 'fund-entry' AND deleted = 0 AND json_extract(state, '$.kind') = 'final-determination'
      """
    #expect(try replica.database.prepare(count).firstRow()?.int64(0) == 0)
    try replica.create(.fundEntry, fields: entry("final-determination", 0, on: "2024-03-01"))
    #expect(try replica.database.prepare(count).firstRow()?.int64(0) == 1)
  }

  /// A hub from before schema step 012 holds its determinations already: the step builds the
  /// index over them, and the year stays closed after the upgrade.
  @Test func upgradingAHubIndexesTheDeterminationsItHolds() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-upgrade-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/hub.sqlite"
    let ledger = LedgerRuleTests()
    let bureau = try ledger.replica("kanto", "kanto-shinetsu")
    let saitama = try ledger.replica("saitama", "11")
    try bureau.create(.fundEntry, fields: ledger.entry(0, kind: "final-determination", year: 2022, on: "2023-12-01"))
    do {
      let old = try Hub(path: path)
      try ledger.sync(bureau, old)
      // As a hub before step 012 left it.
      try old.database.execute(
        "DROP INDEX \(Self.index); DELETE FROM renkei_migrations WHERE name = '012-final-determinations'")
      old.database.close()
    }
    let upgraded = try Hub(path: path)
    defer { upgraded.database.close() }
    let late = try saitama.create(.fundEntry, fields: ledger.entry(1_000, kind: "interest", year: 2022, on: "2023-03-20"))
    try ledger.sync(saitama, upgraded)
    let conflict = try #require(try upgraded.openConflicts().first)
    #expect(conflict.recordID == late.recordID && conflict.fields.contains { $0.rule == .closedYear })
  }
}
