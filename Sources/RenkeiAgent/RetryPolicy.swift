/// How often and how patiently a sync retries what a retry may cure. Pushes are
/// idempotent and pulls read-only, so a request repeated after a cut is always safe.
public struct RetryPolicy: Sendable, Hashable {
  public var attempts: Int
  /// The wait before the second attempt; each later wait doubles, up to `maximumDelay`.
  public var initialDelay: Duration
  public var maximumDelay: Duration

  public init(attempts: Int = 4, initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(8)) {
    self.attempts = max(1, attempts)
    self.initialDelay = initialDelay
    self.maximumDelay = maximumDelay
  }

  /// Runs `body`, retrying while it fails with ``AgentError/Code/hubUnreachable``.
  func run<T>(_ what: String, report: (String) -> Void, _ body: () async throws -> T) async throws -> T {
    var delay = initialDelay
    for attempt in 1... {
      do {
        return try await body()
      } catch let error as AgentError where error.code == .hubUnreachable && attempt < attempts {
        report("\(what) failed (\(error.message)); retrying in \(delay) (attempt \(attempt + 1) of \(attempts))")
        try await Task.sleep(for: delay)
        delay = min(delay * 2, maximumDelay)
      }
    }
    fatalError("unreachable: the loop returns or throws")
  }
}
