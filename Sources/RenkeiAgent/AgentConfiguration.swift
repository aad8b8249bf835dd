import Foundation
import RenkeiCore

/// What an agent knows besides its replica: which hub it syncs with, and what it has
/// learned from it. Kept as `agent.json` in the agent directory, written atomically.
public struct AgentConfiguration: Sendable, Hashable, Codable {
  public var hub: URL
  /// A CA bundle to trust for `https://` hubs signed by the bureau's own CA.
  public var caFile: String?
  /// True once the hub's `/v1/whoami` has confirmed the site and scope the replica was
  /// created with (a replica made offline with `--scope` is confirmed on first contact).
  public var confirmed: Bool
  /// When the last sync finished without error (ISO 8601).
  public var lastSuccessfulSync: String?
  /// When the hub wrote the last reply bundle imported here (ISO 8601): an office on a
  /// closed network never syncs, and this says how recent its copy of the hub's records is.
  public var lastBundleReply: String?

  enum CodingKeys: String, CodingKey {
    case hub
    case caFile = "ca_file"
    case confirmed
    case lastSuccessfulSync = "last_successful_sync"
    case lastBundleReply = "last_bundle_reply"
  }

  public init(hub: URL, caFile: String? = nil, confirmed: Bool, lastSuccessfulSync: String? = nil, lastBundleReply: String? = nil) {
    self.hub = hub
    self.caFile = caFile
    self.confirmed = confirmed
    self.lastSuccessfulSync = lastSuccessfulSync
    self.lastBundleReply = lastBundleReply
  }

  /// Notes a reply bundle the hub wrote at `createdAt` as the last one, unless an imported
  /// one is newer (an older reply imported again brings nothing newer); true when it did.
  mutating func noteBundleReply(createdAt: String) -> Bool {
    let dates = ISO8601DateFormatter()
    let isNewer =
      switch (lastBundleReply.flatMap(dates.date(from:)), dates.date(from: createdAt)) {
      case (nil, _): true
      case (let held?, let reply?): reply > held
      case (_?, nil): false
      }
    if isNewer { lastBundleReply = createdAt }
    return isNewer
  }

  public static func path(in directory: AgentDirectory) -> String { directory.path + "/agent.json" }

  public static func load(from directory: AgentDirectory) throws -> AgentConfiguration {
    let path = path(in: directory)
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AgentError(.notInitialised, "\(directory.path) holds no Renkei replica; create one with: renkei init --dir \(directory.path) --site NAME --hub URL --token-file FILE")
    }
    do {
      return try JSONDecoder().decode(AgentConfiguration.self, from: data)
    } catch {
      throw AgentError(
        .damaged, "\(path) is damaged (\(JSONProblem.describe(error))); restore it from a backup or run renkei init in a new directory")
    }
  }

  public func save(to directory: AgentDirectory) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let path = Self.path(in: directory)
    do {
      try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
      guard let code = underlying.map({ Int32($0.code) }), [ENOSPC, EDQUOT, EFBIG].contains(code) else { throw error }
      // The atomic write leaves the previous file in place, so the settings are as they were.
      throw AgentError(
        .storage,
        "\(path) could not be written: \(String(cString: strerror(code))). The settings are as they were; free space on the disk holding \(directory.path), then run the command again")
    }
  }
}
