import Glibc

/// SIGTERM (systemd's stop) and SIGINT (Ctrl-C), caught from the moment ``install()``
/// returns: a plain handler, installed with `sigaction` before the hub says it listens,
/// writes the signal's number to a pipe that ``wait()`` reads. A `DispatchSource` registers
/// itself later, on a queue of its own, with the signal ignored meanwhile, so a stop sent
/// just after the hub said it listened could be lost and the hub ran on.
///
/// Every process that serves a ``HubServer`` until it is stopped uses this: `renkei-hub
/// serve`, and the hub child `renkei-bench` runs its workloads against.
///
/// ```swift
/// ShutdownSignals.install()
/// try server.start()
/// print("listening on …")
/// _ = ShutdownSignals.wait()
/// server.stop()
/// ```
public enum ShutdownSignals {
  /// The pipe's two ends; set once by `install()`, before any handler can run.
  nonisolated(unsafe) private static var pipeEnds: (read: Int32, write: Int32) = (-1, -1)

  public static func install() {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { fatalError("cannot make a pipe for the stop signals: \(String(cString: strerror(errno)))") }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    pipeEnds = (ends[0], ends[1])
    for number in [SIGTERM, SIGINT] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        // Only async-signal-safe work here: one write(2) of one byte.
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(ShutdownSignals.pipeEnds.write, &byte, 1)
      }
      sigemptyset(&action.sa_mask)
      action.sa_flags = SA_RESTART
      sigaction(number, &action, nil)
    }
  }

  /// Blocks until SIGTERM or SIGINT arrives; returns its number.
  public static func wait() -> Int32 {
    var byte: UInt8 = 0
    while read(pipeEnds.read, &byte, 1) != 1 {
      guard errno == EINTR else { return SIGTERM }
    }
    return Int32(byte)
  }
}
