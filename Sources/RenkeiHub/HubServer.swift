import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiStore

/// A running hub: its database under a directory, served over HTTP.
///
/// `stop()` stops accepting, lets requests in flight finish and closes the database, so a
/// SIGTERM never cuts a push in half: a push is applied in one transaction inside its
/// request, or not at all.
public final class HubServer: Sendable {
  public let directory: String
  private let server: HTTPServer
  private let lock: HubDirectoryLock

  /// The hub database's file inside `directory`.
  public static func databasePath(in directory: String) -> String { directory + "/hub.sqlite" }

  /// Opens (creating on first start) the hub under `directory`.
  public init(directory: String, configuration: HTTPServer.Configuration, log: @escaping @Sendable (String) -> Void) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    self.directory = directory
    lock = try HubDirectoryLock(directory: directory)
    let path = Self.databasePath(in: directory)
    let hub = try Hub(path: path)
    // SQLite opens a file it may not write read-only without a word; every push would fail.
    guard !hub.database.isReadOnly else {
      throw HubDirectoryError("the hub cannot write its database \(path) (read-only); it must be writable by the user the hub runs as")
    }
    let service = HubService(hub: hub, log: log)
    var configuration = configuration
    // HubService decodes gzip-coded content itself, once the token is known to be live.
    configuration.decodesRequestContent = false
    server = HTTPServer(configuration: configuration, log: log) { service.respond(to: $0) }
  }

  /// Binds and starts serving; returns at once.
  public func start() throws { try server.start() }

  /// The port bound, once started.
  public var port: Int? { server.boundPort }

  /// Stops accepting and waits for requests in flight, then lets the directory's lock go.
  public func stop() {
    server.stop()
    lock.release()
  }
}
