import Foundation
import RenkeiHTTP
import RenkeiHub

/// The hub the sync workloads talk to, run as a child process so its memory is measured
/// apart from the agents'.
///
/// The child is this same executable with `--serve-hub DIR`: it runs the product's
/// ``HubServer`` exactly as `renkei-hub serve` does, and is always built from the same
/// sources as the benchmark (a `renkei-hub` binary lying next to it may be stale, and
/// `swift run renkei-bench` does not build one).
enum HubChild {
  /// The child's side: serve until SIGTERM or SIGINT, then stop as `renkei-hub` does.
  /// The signals are caught before the child says where it listens, with the hub's own
  /// ``ShutdownSignals``: ``HubProcess`` may stop it the moment it reads that line.
  static func serve(directory: String) throws {
    var configuration = HTTPServer.Configuration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = try HubServer(directory: directory, configuration: configuration) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    ShutdownSignals.install()
    try server.start()
    print("listening on http://127.0.0.1:\(server.port ?? 0)")
    fflush(nil)
    _ = ShutdownSignals.wait()
    server.stop()
  }
}
