import RenkeiCore

/// What the hub learned about one request while answering it: who sent it, which route it
/// reached and what it carried, for the log line and, when it is refused, the audit.
struct RequestTrail: Sendable {
  var caller: RequestCaller = .anonymous
  /// The method and route template it reached (`POST /v1/conflicts/{id}/resolve`), or
  /// `unmatched`: never the path as sent, so it can key the audit's coalescing.
  var route = "unmatched"
  /// What the audit keeps of the request besides its route and error code.
  var detail: [String: String] = [:]
  /// The refusal, when a route answers one without throwing it (405 with `Allow`).
  var refusal: WireError?
}
