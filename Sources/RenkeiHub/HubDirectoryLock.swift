import Foundation
import Synchronization

/// An exclusive lock on a hub's data directory (`hub.lock`, holding the process id), held
/// while a hub serves it. A second `renkei-hub serve` on the same directory (on another
/// port, or started by hand beside the systemd unit) refuses to start instead of serving
/// the same database with a second writer, and `restore` refuses while a hub serves.
/// The kernel drops the lock when the process ends, however it ends.
public final class HubDirectoryLock: Sendable {
  private let descriptor: Mutex<Int32>

  public static func path(in directory: String) -> String { directory + "/hub.lock" }

  /// Takes the lock, or throws a ``HubDirectoryError`` naming the process that holds it.
  /// Opening the file for writing also finds a data directory the hub cannot write.
  public init(directory: String) throws {
    let path = Self.path(in: directory)
    let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard opened >= 0 else {
      throw HubDirectoryError(
        "the hub cannot write its data directory \(directory) (\(path): \(String(cString: strerror(errno)))); "
          + "it must be writable by the user the hub runs as")
    }
    guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
      let number = errno
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      close(opened)
      guard number == EWOULDBLOCK else { throw HubDirectoryError("cannot lock \(path): \(String(cString: strerror(number)))") }
      throw HubDirectoryError(
        "a renkei-hub\(holder.isEmpty ? "" : " (process \(holder))") is serving \(directory); stop it first (it holds \(path))")
    }
    let text = Array("\(getpid())\n".utf8)
    if ftruncate(opened, 0) == 0 { _ = text.withUnsafeBytes { pwrite(opened, $0.baseAddress, $0.count, 0) } }
    descriptor = Mutex(opened)
  }

  /// Lets the lock go. Safe to call twice.
  public func release() {
    descriptor.withLock { opened in
      guard opened >= 0 else { return }
      close(opened)
      opened = -1
    }
  }

  deinit { release() }
}
