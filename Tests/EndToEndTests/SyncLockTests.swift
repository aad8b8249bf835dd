import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Two syncs never run at once on one replica: while the lock is held (here by the test,
/// as a running sync would), `renkei sync` refuses at once and changes nothing.
@Suite struct SyncLockTests {
  @Test func aSecondSyncIsRefusedWhileTheFirstHoldsTheLock() throws {
    let setup = try SyncEndToEndTests.Setup()
    _ = try setup.on("saitama", "event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-08")
    let descriptor = open(setup.agents["saitama"]! + "/sync.lock", O_CREAT | O_RDWR, 0o600)
    try #require(descriptor >= 0)
    try #require(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
    let refused = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "sync"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("another renkei sync is running"), "\(refused.stderr)")
    #expect(try setup.on("saitama", "status").contains("to push:       1 change"))
    flock(descriptor, LOCK_UN)
    close(descriptor)
    #expect(try setup.on("saitama", "sync").contains("pushed 1"))
  }
}
