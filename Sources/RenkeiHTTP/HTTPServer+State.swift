extension HTTPServer {
  /// Everything about a running server that threads share, kept behind one mutex.
  struct State: Sendable {
    var lifecycle = Lifecycle.idle
    var boundPort: Int?
    /// Read end of the stop pipe: readable forever once ``HTTPServer/stop()`` writes to
    /// it, so every thread that polls it wakes, whenever it starts polling.
    var stopSignal: Int32 = -1
    var stopTrigger: Int32 = -1
    var activeConnections = 0
    /// Connections refused with 503 since the server last reached its cap; nil while below
    /// it. The log says when the cap is reached and when it is left, not each refusal.
    var refusedAtCap: Int?
  }
}
