import Foundation
import RenkeiHub
import RenkeiStore

/// The merge's SQLite work alone, as a floor for `Hub.push`: the merge workload's pushes
/// run again into a second hub that notes every statement it runs (untimed); after each
/// push, its statements are replayed with the same values, in one transaction, into a
/// third database opened as a hub (the same schema, triggers, pragmas and background
/// checkpoints), and only the replay is timed. That is what the pushes would take if
/// deciding what to write (decoding, merging, validating, encoding) cost nothing.
///
/// A floor must not be high: the replay prepares each distinct statement once, as the
/// hub's cache does, and the checkpoints its commits start are waited for before the next
/// push but timed apart (``checkpointTime``), not in ``time``: the hub's run beside its
/// pushes on the other core.
struct HubStatementReplay {
  /// Running the statements, and beginning and committing each push's transaction.
  var time = Measurement()
  /// The part of ``time`` spent running the statements.
  var statementTime = Measurement()
  /// Waiting for the checkpoints the commits started, after each push, and for the last.
  var checkpointTime = Measurement()
  var statements = 0

  /// Pushes `scenario`'s changes through a hub at `directory`/logged.sqlite, replaying
  /// them into `directory`/replay.sqlite; checks that both end holding as many rows, of as
  /// much text.
  static func run(_ scenario: MergeScenario, in directory: String) throws -> HubStatementReplay {
    var scenario = scenario
    let logged = try Hub(path: directory + "/logged.sqlite")
    let replayed = try Hub(path: directory + "/replay.sqlite")
    defer {
      logged.database.close()
      replayed.database.close()
    }
    let log = StatementLog()
    logged.database.statementLog = log
    var replay = HubStatementReplay()
    while !scenario.isFinished {
      for (index, batch) in try scenario.nextRound().enumerated() where !batch.isEmpty {
        let site = scenario.sites[index]
        try logged.push(batch, from: site.id, scope: site.scope)
        // Its checkpoint now, so it does not run beside the replay timed next.
        logged.database.backgroundCheckpointer?.checkpointNow()
        try Measurement.adding(to: &replay.time) {
          try Self.replay(log.entries, on: replayed.database, statementTime: &replay.statementTime)
        }
        Measurement.adding(to: &replay.checkpointTime) { replayed.database.backgroundCheckpointer?.waitUntilIdle() }
        replay.statements += log.entries.count
        log.removeAll()
      }
    }
    Measurement.adding(to: &replay.checkpointTime) { replayed.database.backgroundCheckpointer?.checkpointNow() }
    logged.database.statementLog = nil
    guard replay.statements > 0 else { throw BenchmarkError("the hub ran no statement to replay") }
    let left = try contents(of: logged.database)
    let right = try contents(of: replayed.database)
    guard left == right else {
      throw BenchmarkError("the replayed hub holds \(right); the hub whose statements were replayed holds \(left)")
    }
    return replay
  }

  private static func replay(_ entries: [StatementLog.Entry], on database: Database, statementTime: inout Measurement) throws {
    try database.inTransaction {
      try Measurement.adding(to: &statementTime) { try run(entries, on: database) }
    }
  }

  private static func run(_ entries: [StatementLog.Entry], on database: Database) throws {
    for entry in entries {
      let statement = try database.cachedStatement(entry.sql)
      if entry.readsEveryRow {
        try statement.execute(entry.values)
      } else {
        try statement.withFirstRow(entry.values) { _ in }
      }
    }
  }

  /// What the replay must reproduce: each table's rows, the length of the text they store,
  /// and the last feed position.
  private static func contents(of database: Database) throws -> String {
    let row = try database.prepare(
      """
      SELECT (SELECT count(*) || ' changes of ' || total(length(body)) || ' characters' FROM changes) || ', ' ||
        (SELECT count(*) || ' versions of ' || total(length(state)) || ' characters' FROM versions) || ', ' ||
        (SELECT count(*) || ' records of ' || total(length(state)) || ' characters, last feed position ' || max(feed_position) FROM records)
        || ', ' || (SELECT count(*) || ' conflicts' FROM conflicts) || ', ' || (SELECT count(*) || ' feed entries' FROM feed)
      """
    ).firstRow()
    return try row?.string(0) ?? "nothing"
  }
}
