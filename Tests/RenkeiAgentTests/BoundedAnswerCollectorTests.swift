import Dispatch
import Foundation
import Synchronization
import Testing

@testable import RenkeiAgent

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The https path's collector: a transfer cancelled before it starts still ends, and its
/// caller hears of it (a continuation left waiting would hang the sync for good).
@Suite struct BoundedAnswerCollectorTests {
  @Test func aTransferCancelledBeforeItStartsEndsAtOnce() {
    let collector = BoundedAnswerCollector(limit: 1_000)
    let session = URLSession(configuration: .ephemeral, delegate: collector, delegateQueue: nil)
    let request = URLRequest(url: URL(string: "https://127.0.0.1:9/v1/whoami")!)
    let outcome = Mutex("")
    let ended = DispatchSemaphore(value: 0)
    Task {
      // Cancelled before the request is made: the cancellation handler runs first.
      withUnsafeCurrentTask { $0?.cancel() }
      do {
        _ = try await collector.data(for: request, on: session)
        outcome.withLock { $0 = "answered" }
      } catch {
        outcome.withLock { $0 = "failed: \(error)" }
      }
      ended.signal()
    }
    // Waited for with a bound, so a transfer that never ends fails the test instead of
    // hanging the suite.
    #expect(ended.wait(timeout: .now() + 30) == .success, "the cancelled transfer never ended")
    #expect(outcome.withLock { $0 }.hasPrefix("failed"))
  }
}
