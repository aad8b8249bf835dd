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
  @Test func aTransferCancelledBeforeItStartsEndsAtOnce() async throws {
    let collector = BoundedAnswerCollector(limit: 1_000)
    let session = URLSession(configuration: .ephemeral, delegate: collector, delegateQueue: nil)
    let request = URLRequest(url: URL(string: "https://127.0.0.1:9/v1/whoami")!)
    let outcome = Mutex("")
    // Unstructured, so a transfer that never ended could not hold the test up at its end.
    Task {
      // Cancelled before the request is made: the cancellation handler runs first.
      withUnsafeCurrentTask { $0?.cancel() }
      do {
        _ = try await collector.data(for: request, on: session)
        outcome.withLock { $0 = "answered" }
      } catch {
        outcome.withLock { $0 = "failed: \(error)" }
      }
    }
    // Polled with sleeps, which block no thread (a blocking wait starved the task that
    // should end it when every thread of the pool was busy): a transfer that never ends
    // fails the test after 60 s instead of hanging the suite.
    for _ in 0..<600 where outcome.withLock({ $0 }).isEmpty { try await Task.sleep(for: .milliseconds(100)) }
    #expect(outcome.withLock { $0 }.hasPrefix("failed"), "the cancelled transfer never ended")
  }
}
