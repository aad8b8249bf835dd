/// A row's second key in the authorization matrix: which record the request is about.
///
/// "Own" and "another prefecture's" are seen from the token's site (``MatrixPerspective``):
/// for a prefecture the other is a neighbour in the same bureau; for the bureau and its
/// administrator, whose scope is the whole bureau, it is a prefecture of another bureau.
enum MatrixTarget: String, CaseIterable, Sendable, CustomStringConvertible {
  /// The route concerns no record (health, whoami).
  case noRecord = "no record"
  /// The site's own record, conflict or audit entry.
  case own
  /// Another prefecture's record exists at the hub; the route lists what the token may
  /// see and must leave it out (pull, lists, reports).
  case otherListed = "other, listed"
  /// Another prefecture's record or conflict named in the request target (path or query).
  case otherInTarget = "other, in path"
  /// Another prefecture's record named in the request body.
  case otherInBody = "other, in body"
  /// One change to another prefecture's record inside a batch of 100 changes, the other
  /// 99 of which the site may write: the whole batch must be refused.
  case otherInBatch = "other, in a 100-change batch"

  var description: String { rawValue }
}
