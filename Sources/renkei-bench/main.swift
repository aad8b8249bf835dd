import Foundation
import RenkeiCommandLine

let command = Command(
  "renkei-bench",
  abstract: "Measures how fast Renkei syncs as a bureau's history grows, and how much memory it takes.",
  discussion: """
    Generates its data from a seed, runs each workload beside its baseline in the same run, and prints \
    a table of figures (changes/s, wall seconds, ratio to baseline, peak RSS of hub and agent, bytes \
    per change). Working files go to a temporary directory ($RENKEI_BENCH_TMPDIR, else the system's) \
    and are removed at the end. Workloads: \(WorkloadName.allCases.map(\.rawValue).joined(separator: ", ")).
    """,
  parameters: [
    .flag("quick", help: "Run every workload at a tenth of its size (for CI)."),
    .flag("json", help: "Print one JSON object instead of the table."),
    .option("seed", valueName: "n", help: "The seed the data is generated from.", defaultValue: String(BenchmarkOptions.defaultSeed)),
    .option("only", valueName: "workload", help: "Run only this workload; repeat for several.", repeatable: true),
    .option(
      "time-budget", valueName: "seconds",
      help: "Stop the initial load, which runs last, when the run has taken this long (default 105 with --quick, else 840; 0: no limit)."),
    .option("serve-hub", valueName: "dir", help: "Internal: serve the hub in DIR on 127.0.0.1 (the workloads run their hub this way)."),
  ])

await CommandLineRunner.run(command) { arguments in
  if let directory = arguments.string("serve-hub") {
    try HubChild.serve(directory: directory)
    return
  }
  var options = BenchmarkOptions()
  options.quick = arguments.flag("quick")
  options.json = arguments.flag("json")
  guard let seed = arguments.string("seed").flatMap(UInt64.init) else {
    throw arguments.usageError("--seed must be a whole number from 0 to \(UInt64.max)")
  }
  options.seed = seed
  let budget = try arguments.int("time-budget") ?? options.defaultTimeBudgetSeconds
  guard budget >= 0 else { throw arguments.usageError("--time-budget must be 0 (no limit) or a number of seconds") }
  options.timeBudget = budget == 0 ? nil : .seconds(budget)
  let only = arguments.strings("only")
  if !only.isEmpty {
    options.workloads = try only.map { name in
      guard let workload = WorkloadName(rawValue: name) else {
        throw arguments.usageError("--only \(name): the workloads are \(WorkloadName.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return workload
    }
  }
  try await BenchmarkRunner(options: options).run()
}
