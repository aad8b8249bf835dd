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

  /// Restoring into a directory a hub still serves is refused, even when its files were
  /// moved aside under it.
  @Test func restoreRefusesWhileAHubServesTheDirectory() throws {
    defer { try? FileManager.default.removeItem(atPath: root) }
    let directory = root + "/hub"
    let hub = try HubProcess(directory: directory)
    defer { hub.stop() }
    let backup = root + "/backup.sqlite"
    #expect(try ProcessRunner.run("renkei-hub", ["--dir", directory, "backup", "--to", backup]).status == 0)
    let database = HubServer.databasePath(in: directory)
    for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
      try FileManager.default.moveItem(atPath: database + suffix, toPath: root + "/hub.sqlite.old" + suffix)
    }
    let restore = try ProcessRunner.run("renkei-hub", ["--dir", directory, "restore", "--from", backup])
    #expect(restore.status == 1)
    #expect(restore.stderr.contains("is serving \(directory)"), "\(restore.stderr)")
    #expect(!FileManager.default.fileExists(atPath: database))
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
}
