/// The workloads, in the order a run measures them. Later ones reuse what earlier ones
/// built when they ran (sync pushes the local-edit replica's changes; initial pulls the
/// growth workload's largest hub), and build it themselves when run alone.
enum WorkloadName: String, CaseIterable, Sendable {
  case merge
  case localEdit = "local-edit"
  case sync
  case growth
  case wire
  /// Last: it gets whatever is left of the time budget.
  case initial
}
