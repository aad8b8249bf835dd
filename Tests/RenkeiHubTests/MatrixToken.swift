/// A column of the authorization matrix: what a request carries in `Authorization`.
enum MatrixToken: String, CaseIterable, Sendable, CustomStringConvertible {
  /// No `Authorization` field at all.
  case none
  /// A bearer value without a token's shape (`rk_` and 64 lowercase hex digits).
  case malformed
  /// The token once issued to `saitama-retired` (prefecture 11), revoked since.
  case revoked
  /// `saitama`, prefecture 11 (Saitama), Kantō-Shin'etsu bureau.
  case prefectureA
  /// `yamanashi`, prefecture 19 (Yamanashi), the same bureau.
  case prefectureB
  /// `kanto`, the bureau's own replica: all of Kantō-Shin'etsu's scopes.
  case bureau
  /// `kanto-admin`, the bureau's administrator: conflict review and the audit of its bureau.
  case admin

  var description: String { rawValue }
}
