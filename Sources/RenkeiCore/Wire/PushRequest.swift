/// The body of `POST /v1/push`: a writer's changes in sequence order.
public struct PushRequest: Sendable, Hashable, Codable {
  public var changes: [Change]

  public init(changes: [Change]) { self.changes = changes }
}
