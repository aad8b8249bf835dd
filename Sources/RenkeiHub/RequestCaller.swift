import RenkeiCore

/// Who sent a request to the hub, as far as its token tells.
enum RequestCaller: Sendable, Equatable {
  /// No token, or a malformed or unknown one.
  case anonymous
  /// A token the hub issued to a site that has since been revoked.
  case revoked(SiteRegistration)
  /// A live site's token.
  case site(SiteRegistration)

  /// The name the log and the audit give the caller.
  var actor: String {
    switch self {
    case .anonymous: return Hub.anonymousActor
    case .revoked(let registration), .site(let registration): return registration.name.rawValue
    }
  }

  /// The scope the caller's audit entries belong to; none for an anonymous caller.
  var scope: Scope? {
    switch self {
    case .anonymous: return nil
    case .revoked(let registration), .site(let registration): return registration.scope
    }
  }

  /// True for a live site: registered by an administrator, answerable for what it sends,
  /// and revocable. Only such a caller's refusals are audited one by one.
  var isAccountable: Bool {
    if case .site = self { return true }
    return false
  }
}
