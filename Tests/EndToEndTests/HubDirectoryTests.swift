import Foundation
import RenkeiHub
import Testing

/// What `renkei-hub serve` and `restore` do with a data directory they must not use: one
/// another hub serves, or one the hub cannot write. Each is refused at once, in words, and
/// changes nothing.
@Suite struct HubDirectoryTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hubdir-\(UUID().uuidString)").path

  /// `renkei-hub serve` bounded by `timeout`, so a hub that wrongly starts ends the test
  /// with status 124 instead of hanging it.
  func serve(_ directory: String) throws -> ProcessResult {
    try ProcessRunner.runExecutable(
      "/usr/bin/timeout", ["20", BinaryLocation.url(of: "renkei-hub").path, "--dir", directory, "serve", "--listen", "127.0.0.1:0"])
  }

  @Test func aSecondHubOnTheSameDirectoryRefusesToStart() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let directory = root + "/hub"
    let first = try HubProcess(directory: directory)
    let second = try serve(directory)
    #expect(second.status == 1, "\(second.stderr)")
    #expect(second.stderr.contains("is serving \(directory)"), "\(second.stderr)")
    #expect(second.stderr.contains("process \(first.process.processIdentifier)"), "\(second.stderr)")
    #expect(first.process.isRunning)
    #expect(first.stop() == 0)
    // The lock goes with the hub that held it.
    let again = try HubProcess(directory: directory)
    #expect(again.stop() == 0)
  }

  /// Restoring into a directory a hub still serves is refused, naming the hub's process, as
  /// the README promises: in the usual mistake, its files in place (moving the database aside,
  /// which the refusal would otherwise ask for, is not enough), and with its files moved aside
  /// under it.
  @Test(arguments: [false, true])
  func restoreRefusesWhileAHubServesTheDirectory(filesMovedAside: Bool) throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let directory = root + "/hub"
    let hub = try HubProcess(directory: directory)
    defer { hub.stop() }
    let backup = root + "/backup.sqlite"
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", directory, "backup", "--to", backup]).status == 0)
    let database = HubServer.databasePath(in: directory)
    if filesMovedAside {
      for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
        try FileManager.default.moveItem(atPath: database + suffix, toPath: root + "/hub.sqlite.old" + suffix)
      }
    }
    let restore = try ProcessRunner.run("renkei-hub", ["--dir", directory, "restore", "--from", backup])
    #expect(restore.status == 1)
    #expect(restore.stderr.contains("is serving \(directory)"), "\(restore.stderr)")
    #expect(restore.stderr.contains("process \(hub.process.processIdentifier)"), "\(restore.stderr)")
    #expect(hub.process.isRunning)
    #expect(FileManager.default.fileExists(atPath: database) == !filesMovedAside, "the restore wrote nothing")
  }

  /// SQLite opens a database it may not write read-only without an error, so a hub on a
  /// read-only directory used to start and answer every push with 500. It refuses to start.
  /// Root writes whatever the permissions say, so as root the directory is made read-only by
  /// remounting a small tmpfs; where mounting is not allowed the test says so and does not run.
  @Test func aHubThatCannotWriteItsDirectoryRefusesToStart() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let mountPoint = root + "/disk"
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
    let directory = mountPoint + "/hub"
    let asRoot = geteuid() == 0
    if asRoot {
      let mounted = try ProcessRunner.runExecutable("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint])
      guard mounted.status == 0 else {
        print("HubDirectoryTests: read-only directory not tried: mount refused (\(mounted.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
        return
      }
    }
    defer { if asRoot { _ = try? ProcessRunner.runExecutable("/bin/umount", [mountPoint]) } }
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", directory, "site", "add", "gunma", "--role", "prefecture", "--scope", "10"]).status == 0)
    if asRoot {
      let remounted = try ProcessRunner.runExecutable("/bin/mount", ["-o", "remount,ro", mountPoint])
      try #require(remounted.status == 0, "\(remounted.stderr)")
    } else {
      #expect(chmod(directory, 0o500) == 0)
      #expect(chmod(HubServer.databasePath(in: directory), 0o400) == 0)
    }
    let refused = try serve(directory)
    #expect(refused.status == 1, "\(refused.stderr)")
    #expect(refused.stderr.contains("cannot write"), "\(refused.stderr)")
    if !asRoot { _ = chmod(directory, 0o700) }
  }

  /// A damaged file, a file that is not a database, or a replica's database where the hub's
  /// should be: every command says which, and what to do, instead of SQLite's words and the
  /// SQL it ran (or, for a replica, that a newer Renkei wrote it). Restore puts none of them
  /// in place.
  @Test func aDamagedOrForeignDatabaseIsNamedAsSuch() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let good = root + "/good"
    let added = try ProcessRunner.run("renkei-hub", ["--dir", good, "site", "add", "gunma", "--role", "prefecture", "--scope", "10"])
    try #require(added.status == 0, "\(added.stderr)")
    try added.stdout.write(toFile: root + "/gunma.token", atomically: true, encoding: .utf8)
    let replica = root + "/laptop"
    let initialised = try ProcessRunner.run(
      "renkei", ["--dir", replica, "init", "--site", "gunma", "--hub", "http://127.0.0.1:9", "--token-file", root + "/gunma.token", "--scope", "10"])
    try #require(initialised.status == 0, "\(initialised.stderr)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: HubServer.databasePath(in: good)))
    let cases: [(name: String, content: Data, says: String)] = [
      ("text", Data("hello\n".utf8), "is damaged or is not a hub database"),
      ("truncated", bytes.prefix(bytes.count / 2), "is damaged or is not a hub database"),
      ("replica", try Data(contentsOf: URL(fileURLWithPath: replica + "/replica.sqlite")), "is not a hub database"),
    ]
    for (name, content, says) in cases {
      let directory = root + "/" + name
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      try content.write(to: URL(fileURLWithPath: HubServer.databasePath(in: directory)))
      let listed = try ProcessRunner.run("renkei-hub", ["--dir", directory, "site", "list"])
      #expect(listed.status == 1, "\(name): \(listed.stdout)")
      #expect(listed.stderr.contains(says), "\(name): \(listed.stderr)")
      #expect(!listed.stderr.contains("sqlite_schema") && !listed.stderr.contains("newer version"), "\(name): \(listed.stderr)")
      let restored = root + "/restored-" + name
      let restore = try ProcessRunner.run("renkei-hub", ["--dir", restored, "restore", "--from", HubServer.databasePath(in: directory)])
      #expect(restore.status == 1, "\(name): \(restore.stdout)")
      #expect(!restore.stderr.contains("sqlite_schema"), "\(name): \(restore.stderr)")
      #expect(!FileManager.default.fileExists(atPath: HubServer.databasePath(in: restored)), "\(name) was put in place")
    }
  }

  /// A port another program holds is named with the address asked for, not only as the
  /// socket call that failed ("HTTP server bind failed: Address already in use").
  @Test func aTakenPortIsNamed() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let first = try HubProcess(directory: root + "/first")
    defer { first.stop() }
    let address = String(first.url.dropFirst("http://".count))
    let second = try ProcessRunner.runExecutable(
      "/usr/bin/timeout", ["20", BinaryLocation.url(of: "renkei-hub").path, "--dir", root + "/second", "serve", "--listen", address])
    #expect(second.status == 1, "\(second.stderr)")
    #expect(second.stderr.contains("cannot listen on \(address): Address already in use"), "\(second.stderr)")
  }
}
