import RenkeiAgent

/// One sync's summary and timing.
struct SyncTiming {
  /// Nil when the sync was stopped at its time budget.
  let summary: SyncSummary?
  let total: Measurement
  /// Seconds from the start to the end of the last push batch; nil when the sync pushed
  /// at most one batch (no progress lines).
  let pushWallSeconds: Double?
  /// (seconds since start, versions pulled so far) after each pull page but the last.
  let pullProgress: [(seconds: Double, count: Int)]
  /// This process's peak RSS at the last pull progress line: before the sync's closing
  /// steps.
  let peakWhilePulling: Int?
  let pushSnapshot: [Int]?

  var pushed: Int { summary?.pushed ?? 0 }
  var pulled: Int { summary?.pulled ?? 0 }
}
