/// What one run of the benchmark does, from its command line.
struct BenchmarkOptions: Sendable {
  static let defaultSeed: UInt64 = 20_230_530

  var seed: UInt64 = defaultSeed
  /// A tenth of every workload's size, for CI.
  var quick = false
  var json = false
  /// The wall time the whole run should stay under; the initial load, which runs last,
  /// stops pulling when it runs out and reports how far it got. Nil: no limit.
  var timeBudget: Duration? = nil
  /// The workloads to run, in the order they run; all by default.
  var workloads: [WorkloadName] = WorkloadName.allCases

  /// `full` at full size, `full / 10` with `--quick`.
  func size(_ full: Int) -> Int { quick ? full / 10 : full }

  /// The default time budget: under the two minutes a quick run may take in CI, and the
  /// fifteen a full run may take, with some room for building and starting.
  var defaultTimeBudgetSeconds: Int { quick ? 105 : 840 }
}
