import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore

/// 16 sites × 10,000 changes over 50,000 records, about 5% of the edits concurrent edits
/// of the same record, merged into a hub database by `Hub.push` in batches of 500 per
/// site. Baseline: the same change rows and final record rows, written with plain
/// prepared INSERTs in one transaction into tables of the same shape.
struct MergeWorkload {
  let options: BenchmarkOptions
  let scratch: ScratchDirectory

  func run() throws -> WorkloadReport {
    let start = MergeScenario(
      seed: options.seed, changesPerSite: options.size(10_000), records: options.size(50_000), concurrentShare: 0.05)
    var scenario = start
    let hubPath = try scratch.path("merge", directory: true) + "/hub.sqlite"
    let hub = try Hub(path: hubPath)
    var push = Measurement()
    var changes = 0
    var conflicts: Set<Int64> = []
    PeakMemory.resetPeak()
    while !scenario.isFinished {
      let batches = try scenario.nextRound()
      for (index, batch) in batches.enumerated() where !batch.isEmpty {
        let site = scenario.sites[index]
        let result = try Measurement.adding(to: &push) { try hub.push(batch, from: site.id, scope: site.scope) }
        guard result.applied == batch.count else {
          throw BenchmarkError("the hub applied \(result.applied) of \(batch.count) new changes from \(site.id)")
        }
        changes += batch.count
        conflicts.formUnion(result.conflicts)
      }
    }
    // The hub copies its WAL back into the file on a queue of its own, beside the pushes;
    // what is left of that after the last push is counted as the merge's (the baseline's
    // one commit copies its WAL back before it returns).
    var finishing = Measurement()
    Measurement.adding(to: &finishing) { hub.database.backgroundCheckpointer?.checkpointNow() }
    push += finishing
    let peak = PeakMemory.peakBytes()
    let hubBytes = ScratchDirectory.databaseBytes(hubPath)

    let plainPath = scratch.path + "/merge/plain.sqlite"
    let baseline = try Self.writePlainCopy(of: hub.database, to: plainPath)
    guard baseline.changes == changes, baseline.records == scenario.recordCount else {
      throw BenchmarkError(
        "the hub holds \(baseline.changes) changes and \(baseline.records) records; \(changes) and \(scenario.recordCount) were pushed")
    }
    hub.database.close()
    let replay = try HubStatementReplay.run(start, in: try scratch.path("merge-replay", directory: true))

    var report = WorkloadReport(
      .merge,
      summary:
        "\(scenario.sites.count) sites × \(Figure.grouped(scenario.changesPerSite)) changes over \(Figure.grouped(scenario.recordCount)) records (\(Figure.grouped(scenario.concurrentEdits)) concurrent edits), Hub.push in batches of \(scenario.batchSize) per site"
    )
    report.add(.count("changes", "changes merged", changes))
    report.add(.count("records", "records", scenario.recordCount))
    report.add(.count("concurrent_edits", "concurrent edits of the same record", scenario.concurrentEdits))
    report.add(.count("conflicts_opened", "conflicts opened or joined", conflicts.count))
    report.add("wall_seconds", "Hub.push, wall", push.wallSeconds, .seconds)
    report.add(
      "checkpoint_finish_seconds", "  of which finishing the checkpoints after the last push", finishing.wallSeconds, .seconds)
    report.add("cpu_seconds", "Hub.push, CPU", push.cpuSeconds, .seconds)
    report.add("changes_per_second", "Hub.push, changes/s", Double(changes) / push.wallSeconds, .perSecond)
    report.add("microseconds_per_change", "Hub.push, per change", push.wallSeconds / Double(changes) * 1e6, .microseconds)
    report.add("baseline_wall_seconds", "baseline (plain INSERTs), wall", baseline.time.wallSeconds, .seconds)
    report.add("baseline_changes_per_second", "baseline, changes/s", Double(changes) / baseline.time.wallSeconds, .perSecond)
    report.add("ratio_to_baseline", "ratio Hub.push / baseline (wall)", push.wallSeconds / baseline.time.wallSeconds, .ratio)
    report.add(
      "sql_alone_wall_seconds", "the hub's SQL alone: its statements replayed and committed, wall", replay.time.wallSeconds, .seconds)
    report.add("sql_alone_statement_seconds", "  of which running the statements", replay.statementTime.wallSeconds, .seconds)
    report.add(
      "sql_alone_statements_per_change", "  SQL statements run per change", Double(replay.statements) / Double(changes), .perChange)
    report.add(
      "sql_alone_checkpoint_seconds", "  and, apart, waiting for the checkpoints", replay.checkpointTime.wallSeconds, .seconds)
    report.add(
      "sql_alone_ratio_to_baseline", "ratio the hub's SQL alone / baseline (wall)", replay.time.wallSeconds / baseline.time.wallSeconds,
      .ratio)
    report.add(
      "sql_alone_ratio_to_push", "ratio the hub's SQL alone / Hub.push (wall)", replay.time.wallSeconds / push.wallSeconds, .ratio)
    report.add(.megabytes("hub_database_mib", "hub database on disk", bytes: hubBytes))
    report.add(.megabytes("baseline_database_mib", "baseline database on disk", bytes: ScratchDirectory.databaseBytes(plainPath)))
    report.add(.megabytes("peak_rss_mib", "peak RSS, bench process (hub in-process)", bytes: peak))
    report.note(
      "merge: changes are built directly as Change values (not through replicas), then pushed round by round; the bench process also holds one round of generated changes"
    )
    return report
  }

  /// Copies the hub's change rows and final record rows (with each record's feed entry) into
  /// a plain database of the same shape, in one transaction. Only the inserts and the commit are timed: the rows are
  /// read from the hub in chunks between them, so memory stays flat.
  static func writePlainCopy(of hub: Database, to path: String) throws -> (time: Measurement, changes: Int, records: Int) {
    let plain = try PlainDatabase.hubShaped(at: path)
    defer { plain.close() }
    var time = Measurement()
    try Measurement.adding(to: &time) { try plain.execute("BEGIN IMMEDIATE") }
    let changes = try copyRows(
      "SELECT rowid, site, epoch, sequence, record_id, body FROM changes WHERE rowid > ? ORDER BY rowid LIMIT 10000", from: hub,
      into: plain.prepare(PlainDatabase.hubChangeInsert), time: &time)
    let records = try copyRows(
      """
      SELECT rowid, id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution,
        frontier
      FROM records WHERE rowid > ? ORDER BY rowid LIMIT 10000
      """, from: hub, into: plain.prepare(PlainDatabase.hubRecordInsert), time: &time)
    // Each record's one feed entry: the copies take the same numbers, in the same order.
    _ = try copyRows(
      "SELECT rowid, scope, feed_position, rowid FROM records WHERE rowid > ? ORDER BY rowid LIMIT 10000", from: hub,
      into: plain.prepare(PlainDatabase.hubFeedInsert), time: &time)
    try Measurement.adding(to: &time) { try plain.execute("COMMIT") }
    return (time, changes, records)
  }

  /// Reads rows by rowid in chunks (untimed) and inserts each chunk (timed). The query's
  /// first column is the rowid, which is not copied.
  private static func copyRows(_ query: String, from source: Database, into insert: Statement, time: inout Measurement) throws -> Int {
    var last: Int64 = 0
    var copied = 0
    while true {
      let rows = try source.cachedStatement(query).rows([.integer(last)])
      guard let tail = rows.last else { return copied }
      last = try tail.int64(0)
      try Measurement.adding(to: &time) {
        for row in rows { try insert.execute(Array(row.values.dropFirst())) }
      }
      copied += rows.count
    }
  }
}
