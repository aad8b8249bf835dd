import Foundation
import RenkeiAgent
import RenkeiCore
import RenkeiStore

/// 100,000 `event add`/`event edit`-like writes through the replica API, each with its
/// change-log row, in transactions of 1,000 (as an import would). Baseline: the same rows
/// with plain prepared INSERTs in transactions of the same size, batch for batch beside
/// the replica's. Also a sample of writes committed one by one, as `renkei event edit`
/// commits each, against the same rows committed one by one.
struct LocalEditWorkload {
  let options: BenchmarkOptions
  let scratch: ScratchDirectory
  let fixture: SyncFixture

  static let transactionSize = 1000

  func run() throws -> WorkloadReport {
    let replica = try AgentReplica.open(fixture.pusher)
    defer { replica.database.close() }
    var writes = LocalWrites(seed: options.seed, label: "local-edit", scope: replica.scope, total: options.size(100_000))
    let plainPath = scratch.path + "/sync/plain-replica.sqlite"
    let plain = try PlainDatabase.replicaShaped(at: plainPath)
    defer { plain.close() }
    let changeInsert = try plain.prepare(PlainDatabase.replicaChangeInsert)
    let recordInsert = try plain.prepare(PlainDatabase.replicaRecordInsert)
    var creates = Measurement()
    var edits = Measurement()
    var baseline = Measurement()
    PeakMemory.resetPeak()
    while !writes.isFinished {
      var batch: [LocalWrites.Write] = []
      while !writes.isFinished, batch.count < Self.transactionSize {
        // A batch holds creates or edits, not both, so each is timed apart.
        if let first = batch.first, first.isCreate != (writes.written < writes.creates) { break }
        batch.append(try writes.next())
      }
      let isCreate = batch[0].isCreate
      var time = Measurement()
      let changes = try Measurement.adding(to: &time) {
        try replica.database.inTransaction { try batch.map { try LocalWrites.apply($0, to: replica) } }
      }
      if isCreate { creates += time } else { edits += time }
      // The rows those writes left, then the same rows written plainly.
      let rows = try changes.map { try writes.plainRows(for: $0, epoch: replica.epoch) }
      try Measurement.adding(to: &baseline) {
        try plain.inTransaction {
          for row in rows {
            try changeInsert.execute(row.change)
            try recordInsert.execute(row.record)
          }
        }
      }
    }
    let peak = PeakMemory.peakBytes()
    fixture.pendingWrites = writes.written
    let pending = try replica.database.prepare("SELECT count(*) FROM changes WHERE epoch = ? AND sequence > ?")
      .firstRow([.integer(Int64(replica.epoch)), .integer(Int64(try replica.acknowledgedSequence))])!.int64(0)
    guard pending == writes.written else {
      throw BenchmarkError("the replica holds \(pending) pending changes after \(writes.written) writes")
    }
    let durable = try measureDurableWrites(count: options.size(1_000))

    let total = creates + edits
    let count = writes.written
    var report = WorkloadReport(
      .localEdit,
      summary:
        "\(Figure.grouped(count)) writes through the replica API (\(Figure.grouped(writes.creates)) event creates, then \(Figure.grouped(count - writes.creates)) event edits), \(Self.transactionSize) per transaction"
    )
    report.add(.count("writes", "writes (each with its change-log row)", count))
    report.add("wall_seconds", "Replica API, wall", total.wallSeconds, .seconds)
    report.add("cpu_seconds", "Replica API, CPU", total.cpuSeconds, .seconds)
    report.add("changes_per_second", "Replica API, writes/s", Double(count) / total.wallSeconds, .perSecond)
    report.add("create_microseconds", "Replica.create, per write", creates.wallSeconds / Double(writes.creates) * 1e6, .microseconds)
    report.add("edit_microseconds", "Replica.update, per write", edits.wallSeconds / Double(count - writes.creates) * 1e6, .microseconds)
    report.add("baseline_wall_seconds", "baseline (plain INSERTs), wall", baseline.wallSeconds, .seconds)
    report.add("baseline_changes_per_second", "baseline, writes/s", Double(count) / baseline.wallSeconds, .perSecond)
    report.add("ratio_to_baseline", "ratio Replica API / baseline (wall)", total.wallSeconds / baseline.wallSeconds, .ratio)
    report.add(.count("committed_one_by_one", "sample committed one write per transaction", durable.count))
    report.add(
      "committed_write_milliseconds", "  Replica.update + commit, per write", durable.replica.wallSeconds / Double(durable.count) * 1e3,
      .milliseconds)
    report.add(
      "committed_baseline_milliseconds", "  plain INSERTs + commit, per write", durable.plain.wallSeconds / Double(durable.count) * 1e3,
      .milliseconds)
    report.add("committed_ratio_to_baseline", "  ratio (wall)", durable.replica.wallSeconds / durable.plain.wallSeconds, .ratio)
    report.add(
      .megabytes("replica_database_mib", "replica database on disk", bytes: ScratchDirectory.databaseBytes(fixture.pusher.replicaPath)))
    report.add(.megabytes("peak_rss_mib", "peak RSS, bench process (replica in-process)", bytes: peak))
    return report
  }

  /// `count` edits each committed on its own (synchronous FULL: one fsync each), on a
  /// replica of a few hundred events, beside the same rows each committed on its own.
  private func measureDurableWrites(count: Int) throws -> (count: Int, replica: Measurement, plain: Measurement) {
    let directory = try scratch.path("local-edit-committed", directory: true)
    let site = SyncFixture.pushingSite
    let replica = try Replica.create(at: directory + "/replica.sqlite", site: site.id, scope: site.scope, author: site.author)
    let plain = try PlainDatabase.replicaShaped(at: directory + "/plain.sqlite")
    defer {
      replica.database.close()
      plain.close()
    }
    var writes = LocalWrites(seed: options.seed, label: "local-edit-committed", scope: site.scope, total: 1000 + count)
    try replica.database.inTransaction {
      while writes.written < writes.creates { _ = try LocalWrites.apply(try writes.next(), to: replica) }
    }
    let changeInsert = try plain.prepare(PlainDatabase.replicaChangeInsert)
    let recordInsert = try plain.prepare(PlainDatabase.replicaRecordInsert)
    var replicaTime = Measurement()
    var plainTime = Measurement()
    for _ in 0..<count {
      let write = try writes.next()
      let change = try Measurement.adding(to: &replicaTime) { try LocalWrites.apply(write, to: replica) }
      let rows = try writes.plainRows(for: change, epoch: replica.epoch)
      try Measurement.adding(to: &plainTime) {
        try plain.inTransaction {
          try changeInsert.execute(rows.change)
          try recordInsert.execute(rows.record)
        }
      }
    }
    return (count, replicaTime, plainTime)
  }
}
