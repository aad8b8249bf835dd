import Foundation
import RenkeiCore
import RenkeiHub
import Testing

/// `renkei-hub backup` while the hub serves, and `renkei-hub restore` into a new directory:
/// the restored hub knows the sites and records, and agents sync with it as before.
@Suite struct HubBackupTests {
  @Test func aBackupTakenWhileServingRestoresIntoAWorkingHub() throws {
    let setup = try SyncEndToEndTests.Setup()
    let event = try setup.on("saitama", "event", "add", "--title", "在宅医療研修", "--kind", "training", "--starts-on", "2023-09-01")
    try setup.sync(["saitama"])
    let file = setup.root + "/hub-backup.sqlite"
    let backup = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "backup", "--to", file])
    #expect(backup.status == 0, "\(backup.stderr)")
    #expect(backup.stdout.contains("integrity_check ok"))
    // A second backup to the same file is refused rather than overwriting it.
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "backup", "--to", file]).status == 1)
    setup.hub.stop()

    let restoredDirectory = setup.root + "/restored-hub"
    let restore = try ProcessRunner.run("renkei-hub", ["--dir", restoredDirectory, "restore", "--from", file])
    #expect(restore.status == 0, "\(restore.stderr)")
    // Restoring over an existing hub is refused.
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", restoredDirectory, "restore", "--from", file]).status == 1)
    // A damaged backup is refused with integrity_check's answer, and nothing is put in place.
    let damaged = setup.root + "/damaged.sqlite"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: damaged))
    let refused = try ProcessRunner.run("renkei-hub", ["--dir", setup.root + "/never", "restore", "--from", damaged])
    #expect(refused.status == 1)
    #expect(!FileManager.default.fileExists(atPath: setup.root + "/never/hub.sqlite"))

    let restored = try HubProcess(directory: restoredDirectory)
    defer { restored.stop() }
    let agentConfiguration = setup.agents["kanto"]! + "/agent.json"
    let text = try String(contentsOfFile: agentConfiguration, encoding: .utf8).replacingOccurrences(of: setup.hub.url, with: restored.url)
    try text.write(toFile: agentConfiguration, atomically: true, encoding: .utf8)
    try setup.sync(["kanto"])
    #expect(try setup.events("kanto").map(\.id) == [event])
  }

  /// A backup is one file: nothing is left beside it for the operator to carry along or to
  /// wonder about (a WAL-mode copy would leave `-wal` and `-shm` files next to it).
  @Test func aBackupIsASingleFileWithNothingBesideIt() throws {
    let setup = try SyncEndToEndTests.Setup()
    _ = try setup.on("saitama", "event", "add", "--title", "在宅医療研修", "--kind", "training", "--starts-on", "2023-09-01")
    try setup.sync(["saitama"])
    let file = setup.root + "/hub-backup.sqlite"
    let backup = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "backup", "--to", file])
    #expect(backup.status == 0, "\(backup.stderr)")
    for sidecar in [file + "-wal", file + "-shm", file + "-journal"] {
      #expect(!FileManager.default.fileExists(atPath: sidecar), "\(sidecar) was left beside the backup")
    }
  }

  /// The README's restore moves the old `hub.sqlite` aside. If the hub had stopped without
  /// closing its database (a crash, `kill -9`), its `hub.sqlite-wal` still holds the last
  /// pushes of that old file; SQLite would replay it into the restored backup, mixing two
  /// databases. Restore refuses until the old file's WAL and shared-memory files are moved
  /// aside with it, and then restores exactly the backup.
  @Test func restoreRefusesToPutABackupBesideTheOldDatabasesWAL() throws {
    let setup = try SyncEndToEndTests.Setup()
    let file = setup.root + "/hub-backup.sqlite"
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "backup", "--to", file]).status == 0)
    _ = try setup.on("saitama", "event", "add", "--title", "在宅医療研修", "--kind", "training", "--starts-on", "2023-09-01")
    try setup.sync(["saitama"])
    kill(setup.hub.process.processIdentifier, SIGKILL)
    setup.hub.process.waitUntilExit()
    let database = HubServer.databasePath(in: setup.hub.directory)
    #expect(FileManager.default.fileExists(atPath: database + "-wal"))
    try FileManager.default.moveItem(atPath: database, toPath: setup.root + "/hub.sqlite.old")

    let refused = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "restore", "--from", file])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("hub.sqlite-wal"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: database))

    for suffix in ["-wal", "-shm"] {
      try FileManager.default.moveItem(atPath: database + suffix, toPath: setup.root + "/hub.sqlite.old" + suffix)
    }
    let restore = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "restore", "--from", file])
    #expect(restore.status == 0, "\(restore.stderr)")
    // The restored hub holds what the backup held: no record, since the event came after it.
    #expect(try Hub(path: database).allRecords().isEmpty)
  }
}
