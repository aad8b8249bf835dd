/// The body of `POST /v1/conflicts/{id}/resolve`: exactly one of `take`, `fields` or
/// `record`, the conflict's revision the administrator saw, and a reason.
public struct ResolveRequest: Sendable, Hashable, Codable {
  public var revision: Int64
  public var reason: String
  public var take: SiteID?
  public var fields: [String: SiteID]?
  public var record: RecordFields?

  public init(revision: Int64, reason: String, choice: ResolutionChoice) {
    self.revision = revision
    self.reason = reason
    switch choice {
    case .take(let site): take = site
    case .fields(let map): fields = map
    case .record(let values): record = values
    }
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case revision, reason, take, fields, record
  }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(besides: CodingKeys.self)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    revision = try container.decode(Int64.self, forKey: .revision)
    reason = try container.decode(String.self, forKey: .reason)
    take = try container.decodeIfPresent(SiteID.self, forKey: .take)
    fields = try container.decodeIfPresent([String: SiteID].self, forKey: .fields)
    record = try container.decodeIfPresent(RecordFields.self, forKey: .record)
  }

  /// The choice made, or why the request names none or several.
  public func choice() throws(WireError) -> ResolutionChoice {
    switch (take, fields, record) {
    case (let site?, nil, nil): return .take(site)
    case (nil, let map?, nil) where !map.isEmpty: return .fields(map)
    case (nil, nil, let values?) where !values.isEmpty: return .record(values)
    default: throw WireError(code: "bad-request", message: "give exactly one of take, fields or record")
    }
  }
}
