import Foundation
import RenkeiCore
import RenkeiHub

/// The cost of merging a change as the hub's history grows: a fixed batch of changes
/// (a third creates, the rest edits of records anywhere in the history) pushed with
/// `Hub.push` into a hub holding 10k, 100k and 1M changes, each push with the checkpoint
/// that copies what it wrote back into the hub's file. Baseline: the 10k figure.
///
/// Each size has a hub of its own, and their batches' pushes take turns (one push into the
/// 10k hub, one into the 100k hub, one into the 1M hub, and again): every push is the same
/// as when each batch ran whole, but a spell of load from elsewhere on a shared machine
/// falls on all sizes alike instead of on whichever size was running.
///
/// At each size it also times, in-process, one pull page (500 entries) from the start of
/// the feed (cursor 0), for a bureau replica and for a prefecture replica: what every new
/// or long-offline replica asks first; and the page just before the end of the feed, what
/// a replica that syncs often asks.
struct GrowthWorkload {
  let options: BenchmarkOptions
  let largeHub: LargeHub

  func run() throws -> WorkloadReport {
    let sizes = [10_000, 100_000, 1_000_000].map(options.size)
    let batch = options.size(5_000)
    guard largeHub.history <= sizes.last! else {
      throw BenchmarkError("the large hub already holds \(largeHub.history) changes, more than \(sizes.last!)")
    }
    // The largest size is the shared large hub, which the initial load goes on to pull.
    let smaller = try sizes.dropLast().map {
      try LargeHub(directory: largeHub.directory + "-growth-\(Self.sizeLabel($0))", seed: options.seed)
    }
    defer {
      for hub in smaller {
        hub.close()
        try? FileManager.default.removeItem(atPath: hub.directory)
      }
    }
    let hubs = smaller + [largeHub]
    for (hub, size) in zip(hubs, sizes) { try hub.fill(to: size) }
    let pushes = zip(hubs, sizes).map { hub, size in
      var generator = SplitMix64.stream("growth-\(size)", seed: options.seed)
      return LargeHub.pushes(hub.changes(count: batch, using: &generator))
    }
    // The hub copies its WAL back into its file on a queue of its own, beside the pushes. That
    // copying is the part of a merge that grows with the file, so after each push the bench
    // waits for the hub's queue to copy back what the push wrote, and counts that wait (its
    // time, CPU and bytes) as the push's checkpoint. No size's copying then runs while
    // another size's push is timed.
    var times = Array(repeating: Measurement(), count: sizes.count)
    var checkpoints = Array(repeating: Measurement(), count: sizes.count)
    for turn in 0..<(pushes.map(\.count).max() ?? 0) {
      for (index, hub) in hubs.enumerated() where turn < pushes[index].count {
        times[index] += try hub.push(pushes[index][turn].changes, from: pushes[index][turn].site)
        let checkpointer = try hub.openHub().database.backgroundCheckpointer
        Measurement.adding(to: &checkpoints[index]) { checkpointer?.checkpointNow() }
      }
    }
    let bureau = LargeHub.sites.last!.scope
    let prefecture = LargeHub.sites[3].scope
    var rows:
      [(
        size: Int, push: Measurement, checkpoint: Measurement, bureauPull: Double, prefecturePull: Double, tailPull: Double,
        databaseBytes: Int
      )] = []
    for (index, size) in sizes.enumerated() {
      let hub = try hubs[index].openHub()
      let bureauPull = try Self.medianSeconds { _ = try hub.pull(for: bureau, after: 0, limit: 500) }
      let prefecturePull = try Self.medianSeconds { _ = try hub.pull(for: prefecture, after: 0, limit: 500) }
      // The feed counter: the last position given, the record stored last holds it.
      let end = Int64(try hub.database.prepare("SELECT value FROM hub_meta WHERE key = 'feed_position'").firstRow()!.string(0))!
      let tailPull = try Self.medianSeconds { _ = try hub.pull(for: bureau, after: UInt64(end - 500), limit: 500) }
      rows.append(
        (
          size, times[index], checkpoints[index], bureauPull, prefecturePull, tailPull,
          ScratchDirectory.databaseBytes(hubs[index].databasePath)
        ))
    }
    var report = WorkloadReport(
      .growth,
      summary:
        "Hub.push (and its checkpoint) of \(Figure.grouped(batch)) changes (⅓ creates, ⅔ edits anywhere in the history) into a hub holding \(sizes.map(Figure.grouped).joined(separator: ", ")) changes"
    )
    let smallestPush = rows[0].push.wallSeconds / Double(batch)
    let smallest = (rows[0].push + rows[0].checkpoint).wallSeconds / Double(batch)
    for row in rows {
      let label = Self.sizeLabel(row.size)
      let pushPerChange = row.push.wallSeconds / Double(batch)
      let whole = row.push + row.checkpoint
      let perChange = whole.wallSeconds / Double(batch)
      report.add(.count("history_\(label)", "history \(label): changes held before the batch", row.size))
      report.add("microseconds_per_change_\(label)", "  Hub.push and its checkpoint per change, wall", perChange * 1e6, .microseconds)
      report.add(
        "cpu_microseconds_per_change_\(label)", "  Hub.push and its checkpoint per change, CPU", whole.cpuSeconds / Double(batch) * 1e6,
        .microseconds)
      report.add("changes_per_second_\(label)", "  changes/s", 1 / perChange, .perSecond)
      report.add(
        "bytes_written_per_change_\(label)", "  bytes written per change (WAL, checkpoints)", Double(whole.writtenBytes) / Double(batch),
        .bytes)
      report.add("ratio_to_baseline_\(label)", "  ratio to the \(Self.sizeLabel(sizes[0])) figure", perChange / smallest, .ratio)
      report.add("push_microseconds_per_change_\(label)", "    of which Hub.push, wall", pushPerChange * 1e6, .microseconds)
      report.add(
        "checkpoint_microseconds_per_change_\(label)", "    of which the checkpoint after it, wall",
        row.checkpoint.wallSeconds / Double(batch) * 1e6, .microseconds)
      report.add(
        "push_ratio_to_baseline_\(label)", "    Hub.push alone, ratio to the \(Self.sizeLabel(sizes[0])) figure",
        pushPerChange / smallestPush, .ratio)
      report.add("pull_first_page_bureau_ms_\(label)", "  first pull page (500), bureau scope", row.bureauPull * 1e3, .milliseconds)
      report.add(
        "pull_first_page_prefecture_ms_\(label)", "  first pull page (500), prefecture scope", row.prefecturePull * 1e3, .milliseconds)
      report.add(
        "pull_last_page_bureau_ms_\(label)", "  last pull page (500 before the end), bureau scope", row.tailPull * 1e3, .milliseconds)
      report.add(.megabytes("hub_database_mib_\(label)", "  hub database on disk", bytes: row.databaseBytes))
    }
    let fillTime = hubs.reduce(Measurement()) { $0 + $1.fillTime }
    report.add("fill_seconds", "writing the histories directly (not measured as merge)", fillTime.wallSeconds, .seconds)
    report.add("fill_cpu_seconds", "  CPU", fillTime.cpuSeconds, .seconds)
    report.note(
      "growth: the history is written straight into the hub's tables (the rows Hub.push stores, checked against Hub.push each run); only the batches are merged by Hub.push, one hub per size, their pushes taking turns"
    )
    return report
  }

  static func sizeLabel(_ size: Int) -> String {
    size >= 1_000_000 && size % 1_000_000 == 0 ? "\(size / 1_000_000)m" : size % 1000 == 0 ? "\(size / 1000)k" : String(size)
  }

  /// The median wall time of three runs of `body`.
  static func medianSeconds(_ body: () throws -> Void) throws -> Double {
    var times: [Double] = []
    for _ in 0..<3 {
      let start = ContinuousClock.now
      try body()
      times.append((ContinuousClock.now - start).seconds)
    }
    return times.sorted()[1]
  }
}
