extension HTTPServer {
  /// A server starts once and stops once: `idle` → `running` → `stopping` → `stopped`.
  enum Lifecycle: Sendable {
    case idle, running, stopping, stopped
  }
}
