import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// Disk full: the agent runs out of room while it imports and while it pulls. It must say so
/// (exit 74, a message naming the disk), not crash, keep its replica sound and its
/// checkpoints behind what it committed, and converge on the next sync once there is room.
///
/// Two ways to run out of room. A file-size limit (`prlimit --fsize`, which any user may set;
/// writes past it fail with EFBIG) runs everywhere. A small tmpfs filled to the brim (real
/// ENOSPC) needs the right to mount, which root has here but many CI machines do not: the
/// figure says when that half could not run.
@Suite(.serialized) struct DiskFullTests {
  static let prlimit = "/usr/bin/prlimit"

  /// CSV rows of events with long titles, enough to need far more room than the limits leave.
  static func eventsCSV(prefix: String, bureau: String, prefecture: String, count: Int) -> String {
    let header = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\n"
    let padding = String(repeating: "地域包括ケア推進", count: 40)
    return header
      + (1...count).map { index in
        "\(prefix)-\(index),\(bureau),\(prefecture),2023,seminar,研修\(index) \(padding),2023-07-06,2023-07-06,さいたま市,,,planned,\n"
      }.joined()
  }

  struct Outcome {
    var failures: [ProcessResult] = []
    var consistent = 0
    var converged = false
    /// The SQLite result codes the failures named, e.g. 778 (SQLITE_IOERR_WRITE) or 13 (SQLITE_FULL).
    var sqliteCodes: [String] {
      Array(
        Set(
          failures.compactMap { failure in
            failure.stderr.range(of: #"SQLite error [0-9]+"#, options: .regularExpression).map { String(failure.stderr[$0].dropFirst(13)) }
          })
      ).sorted()
    }
  }

  /// The replica's checkpoints and integrity, checked against the hub.
  static func checkReplica(_ directory: String, hubDirectory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
    let path = directory + "/replica.sqlite"
    // Read-write: a read-only connection may not grow the WAL index a large WAL needs.
    let database = try Database(path: path)
    let integrity = try database.integrityCheck()
    database.close()
    let replica = try Replica(path: path)
    let hub = try Hub(path: HubServer.databasePath(in: hubDirectory))
    let acknowledged = try replica.acknowledgedSequence
    let hubHas = try hub.lastSequence(of: replica.writer)
    let cursor = try replica.pullCursor
    let held = Set(try replica.records(includeDeleted: true).map(\.id))
    let covered = try hub.pull(for: replica.scope, after: 0, limit: 1_000_000).entries.filter { $0.position <= cursor }
    let missing = covered.filter { !held.contains($0.version.recordID) }
    #expect(integrity == ["ok"], "integrity_check: \(integrity)", sourceLocation: sourceLocation)
    #expect(acknowledged <= hubHas, "acknowledged \(acknowledged) but the hub stored only \(hubHas)", sourceLocation: sourceLocation)
    #expect(
      missing.isEmpty, "pull cursor \(cursor) passes \(missing.count) versions the replica does not hold", sourceLocation: sourceLocation)
    return integrity == ["ok"] && acknowledged <= hubHas && missing.isEmpty
  }

  /// Whether the replica holds exactly the hub's versions for its scope, with nothing pending.
  static func converged(_ directory: String, hubDirectory: String) throws -> Bool {
    let replica = try Replica(path: directory + "/replica.sqlite")
    let hub = try Hub(path: HubServer.databasePath(in: hubDirectory))
    let mine = Dictionary(uniqueKeysWithValues: try replica.records(includeDeleted: true).map { ($0.id, $0.version.vector) })
    let theirs = Dictionary(
      uniqueKeysWithValues: try hub.pull(for: replica.scope, after: 0, limit: 1_000_000).entries.map {
        ($0.version.recordID, $0.version.vector)
      })
    let pending = try replica.pendingChanges()
    return mine == theirs && pending.isEmpty
  }

  static func expectClearFailure(_ result: ProcessResult, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(!result.signalled, "\(what) was killed by signal \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.status == 74, "\(what) exited \(result.status), not 74: \(result.stderr)", sourceLocation: sourceLocation)
    let text = result.stderr
    #expect(
      text.contains("could not be written") && (text.contains("disk is full") || text.contains("file-size limit"))
        && text.contains("free space"),
      "\(what) did not name the disk: \(text)", sourceLocation: sourceLocation)
    #expect(!text.contains("Fatal error") && !text.contains("Stack dump"), "\(what) crashed: \(text)", sourceLocation: sourceLocation)
  }

  /// Runs the scenario with the agent `saitama` in `agentDirectory`; `limited` runs `renkei`
  /// with no room to grow, `roomReturns` gives the room back.
  static func scenario(
    _ setup: SyncEndToEndTests.Setup, agent: String, limited: ([String]) throws -> ProcessResult, roomReturns: () throws -> Void
  ) throws -> Outcome {
    var outcome = Outcome()
    let imports = setup.root + "/saitama-\(UUID().uuidString).csv"
    try eventsCSV(prefix: "fill-11", bureau: "kanto-shinetsu", prefecture: "11", count: 300).write(
      toFile: imports, atomically: true, encoding: .utf8)
    let before = try Replica(path: agent + "/replica.sqlite").records(includeDeleted: true).count

    // Import: all or nothing, so nothing of it may show.
    let imported = try limited(["--dir", agent, "import", "events", imports])
    expectClearFailure(imported, "renkei import under a full disk")
    outcome.failures.append(imported)
    #expect(try Replica(path: agent + "/replica.sqlite").records(includeDeleted: true).count == before)
    if try checkReplica(agent, hubDirectory: setup.hub.directory) { outcome.consistent += 1 }

    // Sync: one local edit to push, and the bureau's large import to pull.
    _ = try setup.renkei(["--dir", agent, "event", "add", "--title", "満杯の日の研修", "--kind", "training", "--starts-on", "2023-10-05"])
    let synced = try limited(["--dir", agent, "sync", "--retries", "1"])
    expectClearFailure(synced, "renkei sync under a full disk")
    outcome.failures.append(synced)
    if try checkReplica(agent, hubDirectory: setup.hub.directory) { outcome.consistent += 1 }

    // Room returns: the same commands succeed, and one sync converges.
    try roomReturns()
    _ = try setup.renkei(["--dir", agent, "import", "events", imports])
    _ = try setup.renkei(["--dir", agent, "sync"])
    outcome.converged = try converged(agent, hubDirectory: setup.hub.directory)
    #expect(outcome.converged, "after room returned, one sync did not converge")
    return outcome
  }

  static func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
  }

  @Test func aFullDiskIsReportedAndTheNextSyncConverges() throws {
    guard FileManager.default.isExecutableFile(atPath: Self.prlimit) else {
      throw EndToEndFailure("\(Self.prlimit) is missing; .ci/run installs it (util-linux)")
    }
    let setup = try SyncEndToEndTests.Setup()
    // The bureau's large import, which Saitama will have to pull: three pages, so storing one
    // fails while the next is on its way.
    let bureauRows = setup.root + "/bureau.csv"
    try Self.eventsCSV(prefix: "fill-ks", bureau: "kanto-shinetsu", prefecture: "", count: 1_100).write(
      toFile: bureauRows, atomically: true, encoding: .utf8)
    _ = try setup.on("kanto", "import", "events", bureauRows)
    try setup.sync(["kanto"])

    // 1. A file-size limit: a few pages above what the replica's files hold now.
    let agent = setup.agents["saitama"]!
    let renkei = BinaryLocation.url(of: "renkei").path
    let fileSize = try Self.scenario(
      setup, agent: agent,
      limited: { arguments in
        let limit = [agent + "/replica.sqlite", agent + "/replica.sqlite-wal"].map(Self.size).max()! + 16_384
        return try ProcessRunner.runExecutable(Self.prlimit, ["--fsize=\(limit)", "--", renkei] + arguments)
      }, roomReturns: {})

    // 2. A real full disk, on a small tmpfs, when this machine lets us mount one.
    let mountPoint = setup.root + "/small-disk"
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    let mounted =
      FileManager.default.isExecutableFile(atPath: "/bin/mount")
      ? try ProcessRunner.runExecutable("/bin/mount", ["-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint])
      : ProcessResult(status: 127, stdout: "", stderr: "/bin/mount is not installed")
    var tmpfs: Outcome?
    if mounted.status == 0 {
      defer { _ = try? ProcessRunner.runExecutable("/bin/umount", [mountPoint]) }
      let token = try setup.hub.addSite("saitama-laptop", role: "prefecture", scope: "11")
      let laptop = mountPoint + "/agent"
      _ = try setup.renkei([
        "--dir", laptop, "init", "--site", "saitama-laptop", "--hub", setup.hub.url, "--token-file", token, "--author", "田中",
      ])
      let filler = mountPoint + "/filler"
      tmpfs = try Self.scenario(
        setup, agent: laptop,
        limited: { arguments in
          // Fill the disk, leaving a few pages free.
          try? FileManager.default.removeItem(atPath: filler)
          var stats = statvfs()
          _ = statvfs(mountPoint, &stats)
          let free = Int(stats.f_bavail) * Int(stats.f_frsize)
          _ = FileManager.default.createFile(atPath: filler, contents: Data(count: max(free - 16_384, 0)))
          let result = try ProcessRunner.runExecutable(renkei, arguments)
          // Room for the checks that follow: on a full disk even reading a large WAL needs
          // a little space for its index.
          try FileManager.default.removeItem(atPath: filler)
          return result
        }, roomReturns: {})
    }

    let outcomes = [fileSize] + (tmpfs.map { [$0] } ?? [])
    let failures = outcomes.flatMap(\.failures)
    let clear = failures.filter { !$0.signalled && $0.status == 74 }.count
    let consistent = outcomes.map(\.consistent).reduce(0, +)
    let tmpfsText =
      tmpfs.map {
        "tmpfs ENOSPC: \($0.failures.filter { $0.status == 74 }.count)/2 clear, SQLite \($0.sqliteCodes.joined(separator: ",")), converged \($0.converged ? "yes" : "no")"
      }
      ?? "tmpfs ENOSPC not run (mount refused: \(mounted.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))"
    print(
      "FIGURE 8 | disk full | import and sync out of room: \(clear)/\(failures.count) clear errors (exit 74, disk named), \(failures.filter(\.signalled).count) crashes, integrity ok and checkpoints behind commits \(consistent)/\(failures.count), converged after room returned \(outcomes.filter(\.converged).count)/\(outcomes.count) (file-size limit EFBIG: SQLite \(fileSize.sqliteCodes.joined(separator: ",")); \(tmpfsText))"
    )
  }
}
