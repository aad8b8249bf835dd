import Dispatch
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
  /// The child's side: serve until SIGTERM, then stop as `renkei-hub` does.
  static func serve(directory: String) throws {
    var configuration = HTTPServer.Configuration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = try HubServer(directory: directory, configuration: configuration) { line in
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    try server.start()
    print("listening on http://127.0.0.1:\(server.port ?? 0)")
    fflush(nil)
    let stopRequested = DispatchSemaphore(value: 0)
    signal(SIGTERM, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
    source.setEventHandler { stopRequested.signal() }
    source.resume()
    stopRequested.wait()
    server.stop()
    source.cancel()
  }
}
