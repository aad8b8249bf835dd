/// What a site's token lets it do at the hub.
public enum SiteRole: String, Sendable, Hashable, Codable, CaseIterable {
  /// A prefecture's replica: reads and writes its own records, reads its bureau's.
  case prefecture
  /// The bureau's replica: reads and writes the bureau's records and all its prefectures'.
  case bureau
  /// The bureau's administrator: reviews conflicts; pushes no changes of its own.
  case admin

  /// Checks that `scope` suits the role: a prefecture token names a prefecture, the
  /// others a bureau. Returns why not, or nil.
  public func problem(with scope: Scope) -> String? {
    switch (self, scope) {
    case (.prefecture, .prefecture), (.bureau, .bureau), (.admin, .bureau): return nil
    case (.prefecture, .bureau): return "a prefecture site needs a prefecture code (01–47) as its scope, not the bureau \(scope)"
    case (_, .prefecture): return "\(self == .admin ? "an" : "a") \(rawValue) site needs a bureau as its scope, not the prefecture \(scope)"
    }
  }
}
