import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiStore

/// Creating and opening the replica of an agent directory, with errors staff can act on.
public enum AgentReplica {
  /// Opens the directory's replica; refuses a directory with none, or a damaged one.
  public static func open(_ directory: AgentDirectory) throws -> Replica {
    guard FileManager.default.fileExists(atPath: directory.replicaPath) else {
      throw AgentError(.notInitialised, "\(directory.path) holds no Renkei replica; create one with: renkei init --dir \(directory.path) --site NAME --hub URL --token-file FILE")
    }
    do {
      return try Replica(path: directory.replicaPath)
    } catch let error as SQLiteError where error.storageProblem != nil {
      throw AgentError.storage(error, in: directory.path)
    } catch let error as SQLiteError {
      throw AgentError(.damaged, "the replica \(directory.replicaPath) cannot be opened: \(error.message) (SQLite code \(error.extendedResultCode)); restore it from a backup")
    } catch let error as ReplicaError {
      throw AgentError(.damaged, "the replica \(directory.replicaPath) is damaged: \(error.message)")
    }
  }

  /// Sets up a new agent directory: the replica, the token, the hub it syncs with.
  ///
  /// With `scope` the replica is made offline (a laptop set up with no network) and the hub
  /// confirms site and scope on first sync; without it the hub is asked now.
  public static func initialise(
    _ directory: AgentDirectory, site: SiteID, hub: URL, tokenFile: String, scope: Scope?, author: String, caFile: String? = nil
  ) async throws -> (scope: Scope, confirmed: Bool) {
    guard ["http", "https"].contains(hub.scheme?.lowercased() ?? ""), hub.host != nil else {
      throw AgentError(.badInput, "--hub must be an http:// or https:// URL, such as https://hub.example.go.jp, not \(hub.absoluteString)")
    }
    if FileManager.default.fileExists(atPath: directory.replicaPath) {
      throw AgentError(.alreadyInitialised, "\(directory.path) already holds a replica; choose another --dir")
    }
    let token = try AccessTokenFile.read(from: tokenFile)
    if let caFile { try TrustedCertificateAuthority.check(caFile) }
    var confirmed = false
    let chosen: Scope
    if let scope {
      chosen = scope
    } else {
      let identity: WhoAmI
      do {
        identity = try await HubClient(hub: hub, token: token, timeout: 20).whoami()
      } catch let error as AgentError {
        throw AgentError(error.code, "\(error.message)\nWithout --scope the hub must be reachable to tell this replica its scope; give --scope CODE to set it up offline.")
      }
      guard identity.site == site else {
        throw AgentError(.identityMismatch, "the token belongs to site \(identity.site), not \(site)")
      }
      chosen = identity.scope
      confirmed = true
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      let problem = FileProblem.makingFolder(directory.path, error: error)
      throw AgentError(.badInput, "cannot make the replica folder \(directory.path): \(problem)")
    }
    _ = try Replica.create(at: directory.replicaPath, site: site, scope: chosen, author: author)
    try AccessTokenFile.store(token, in: directory)
    try AgentConfiguration(hub: hub, caFile: caFile, confirmed: confirmed).save(to: directory)
    return (chosen, confirmed)
  }
}
