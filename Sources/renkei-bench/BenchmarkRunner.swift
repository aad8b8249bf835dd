import Foundation

/// Runs the chosen workloads in order and prints the report.
struct BenchmarkRunner {
  let options: BenchmarkOptions

  func run() async throws {
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    let interruption = Self.cleanUpOnInterrupt(scratch.path)
    defer { interruption.forEach { $0.cancel() } }
    let started = Measurement.Instant.now
    var report = BenchmarkReport(options: options)
    report.loadAverageAtStart = BenchmarkReport.loadAverage()
    var syncFixture: SyncFixture?
    var largeHub: LargeHub?
    func sharedLargeHub() throws -> LargeHub {
      if let largeHub { return largeHub }
      let directory = try scratch.path("large-hub-check", directory: true)
      try LargeHub.verify(in: directory, seed: options.seed)
      try? FileManager.default.removeItem(atPath: directory)
      let created = try LargeHub(directory: try scratch.path("large-hub", directory: true), seed: options.seed)
      largeHub = created
      return created
    }
    func sharedSyncFixture() async throws -> SyncFixture {
      if let syncFixture { return syncFixture }
      let created = try await SyncFixture.create(in: scratch)
      syncFixture = created
      return created
    }
    for workload in WorkloadName.allCases where options.workloads.contains(workload) {
      progress("running \(workload.rawValue)…")
      let result: WorkloadReport
      let workloadStart = Measurement.Instant.now
      switch workload {
      case .merge: result = try MergeWorkload(options: options, scratch: scratch).run()
      case .localEdit: result = try LocalEditWorkload(options: options, scratch: scratch, fixture: try await sharedSyncFixture()).run()
      case .sync: result = try await SyncWorkload(options: options, scratch: scratch, fixture: try await sharedSyncFixture()).run()
      case .growth: result = try GrowthWorkload(options: options, largeHub: try sharedLargeHub()).run()
      case .initial:
        let deadline = options.timeBudget.map { started.wall + $0 }
        result = try await InitialLoadWorkload(options: options, scratch: scratch, largeHub: try sharedLargeHub(), deadline: deadline).run()
      case .wire: result = try await WireWorkload(options: options, scratch: scratch).run()
      }
      progress("\(workload.rawValue) done in \(Figure.decimal(workloadStart.elapsed.wallSeconds, places: 1)) s")
      report.workloads.append(result)
    }
    report.totalWallSeconds = started.elapsed.wallSeconds
    report.loadAverageAtEnd = BenchmarkReport.loadAverage()
    print(options.json ? report.json : report.table)
  }

  /// On SIGINT or SIGTERM: stop the hub children, remove the working files, exit 130.
  private static func cleanUpOnInterrupt(_ path: String) -> [any DispatchSourceSignal] {
    [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        HubProcess.terminateAll()
        if ProcessInfo.processInfo.environment["RENKEI_BENCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: path) }
        FileHandle.standardError.write(Data("renkei-bench: interrupted; working files removed\n".utf8))
        exit(130)
      }
      source.resume()
      return source
    }
  }

  /// Progress goes to standard error, so standard output holds only the report.
  func progress(_ line: String) {
    FileHandle.standardError.write(Data("renkei-bench: \(line)\n".utf8))
  }
}
