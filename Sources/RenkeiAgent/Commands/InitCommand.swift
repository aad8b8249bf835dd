import Foundation
import RenkeiCommandLine
import RenkeiCore

/// `renkei init`: creates a replica for a site.
public enum InitCommand: AgentCommand {
  public static let command = Command(
    "init", abstract: "Creates a replica for a site.",
    discussion: "With --scope the replica is made offline and the hub confirms it on the first sync; without it the hub is asked now.",
    parameters: [
      .option("site", valueName: "name", help: "The site name the hub registered (e.g. saitama).", required: true),
      .option("hub", valueName: "url", help: "The hub's URL, e.g. https://renkei.example.go.jp.", required: true),
      .option("token-file", valueName: "file", help: "A file holding the token renkei-hub site add printed.", required: true),
      .option("scope", valueName: "code", help: "A prefecture code (11) or a bureau (kanto-shinetsu)."),
      .option("author", valueName: "name", help: "Who edits on this replica (default $USER)."),
      .option("ca-file", valueName: "file", help: "The bureau's CA certificate (PEM) the hub's TLS certificate must chain to; it must be in the system trust store."),
    ])

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    let rawSite = arguments.string("site") ?? ""
    guard let site = SiteID(rawValue: rawSite) else {
      throw arguments.usageError("--site \(rawSite.debugDescription) \(SiteID.problem(with: rawSite) ?? "is invalid")")
    }
    let rawHub = arguments.string("hub") ?? ""
    guard let hub = URL(string: rawHub) else {
      throw arguments.usageError("--hub must be an http:// or https:// URL, such as https://hub.example.go.jp, not \(rawHub)")
    }
    var scope: Scope?
    if let raw = arguments.string("scope") {
      do { scope = try Scope(raw) } catch { throw arguments.usageError("\(error)") }
    }
    let author = arguments.string("author") ?? ProcessInfo.processInfo.environment["USER"] ?? rawSite
    let result = try await AgentReplica.initialise(
      directory, site: site, hub: hub, tokenFile: arguments.string("token-file")!, scope: scope, author: author,
      caFile: arguments.string("ca-file"))
    print(
      "created replica \(site) (scope \(result.scope)) in \(directory.path); \(result.confirmed ? "confirmed by the hub" : "the hub confirms it on the first sync")"
    )
  }
}
