import Foundation

/// Where an agent keeps its replica: `--dir`, else `$RENKEI_HOME`, else `~/.renkei`.
public struct AgentDirectory: Sendable, Hashable {
  public let path: String

  public init(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
    if let explicit, !explicit.isEmpty {
      path = explicit
    } else if let home = environment["RENKEI_HOME"], !home.isEmpty {
      path = home
    } else {
      path = (environment["HOME"] ?? NSHomeDirectory()) + "/.renkei"
    }
  }

  /// The replica's SQLite database.
  public var replicaPath: String { path + "/replica.sqlite" }
}
