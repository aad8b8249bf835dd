import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive `flock` on the agent directory's `sync.lock`: two syncs never interleave.
/// The kernel drops the lock if the process dies, so a crash never leaves it stuck.
struct SyncLock {
  private let descriptor: Int32

  init(directory: AgentDirectory) throws {
    let path = directory.path + "/sync.lock"
    descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw AgentError(.damaged, "cannot open \(path): \(String(cString: strerror(errno)))") }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(descriptor)
      throw AgentError(.busy, "another renkei sync is running on \(directory.path); wait for it to finish")
    }
  }

  func release() {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
