/// What one cell of the authorization matrix must answer.
enum MatrixOutcome: Equatable, Sendable, CustomStringConvertible {
  /// 200, and the own record (or conflict, entry, report line) is in the answer.
  case ok
  /// 200, and another prefecture's record, though held by the hub, is not in the answer.
  case hidden
  /// Refused with this status and error code: nothing stored, the refusal audited.
  case refused(Int, String)

  static let unauthorized = MatrixOutcome.refused(401, "unauthorized")
  static let forbidden = MatrixOutcome.refused(403, "forbidden")
  static let notFound = MatrixOutcome.refused(404, "not-found")
  static let invalidResolution = MatrixOutcome.refused(409, "invalid-resolution")

  var isRefusal: Bool {
    if case .refused = self { return true }
    return false
  }

  var description: String {
    switch self {
    case .ok: return "200"
    case .hidden: return "200 without it"
    case .refused(let status, let code): return "\(status) \(code)"
    }
  }
}
