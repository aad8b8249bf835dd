/// The answer of `GET /v1/health`, which needs no token: enough for a monitor or a
/// load balancer to tell the hub is up and its database answers.
public struct HealthStatus: Sendable, Hashable, Codable {
  public var status: String
  public var version: String
  public var sqlite: String

  public init(status: String, version: String, sqlite: String) {
    self.status = status
    self.version = version
    self.sqlite = sqlite
  }
}
