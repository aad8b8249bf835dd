/// The body of `POST /v1/push`: a writer's changes in sequence order.
public struct PushRequest: Sendable, Hashable, Codable {
  public var changes: [Change]

  public init(changes: [Change]) { self.changes = changes }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case changes
  }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(besides: CodingKeys.self)
    changes = try decoder.container(keyedBy: CodingKeys.self).decode([Change].self, forKey: .changes)
  }
}
