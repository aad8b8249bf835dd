import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The delegate of the agent's URLSession: collects each answer and cancels its transfer
/// as soon as it passes a limit.
///
/// Over https libcurl removes a gzip coding itself, so the agent only ever sees the decoded
/// bytes; `URLSession.data(for:)` would gather them all first, and a few hundred kilobytes
/// of gzip can decode to gigabytes. Counting here holds an answer to ``HubClient``'s limit
/// whichever side decoded it.
final class BoundedAnswerCollector: NSObject, URLSessionDataDelegate, Sendable {
  /// Thrown when an answer passed the limit.
  struct TooLarge: Error {
    let limit: Int
  }

  private struct Transfer {
    let continuation: CheckedContinuation<(Data, URLResponse), any Error>
    var data = Data()
    var response: URLResponse?
    var isTooLarge = false
  }

  let limit: Int
  private let transfers = Mutex<[Int: Transfer]>([:])
  /// How tasks ended that completed before their transfer was registered: a task cancelled
  /// before it was resumed completes at once, and its caller must still hear of it.
  private let endedEarly = Mutex<[Int: any Error]>([:])

  init(limit: Int) {
    self.limit = limit
  }

  /// Runs `request` on `session` (whose delegate this is) and returns its answer.
  func data(for request: URLRequest, on session: URLSession) async throws -> (Data, URLResponse) {
    let task = session.dataTask(with: request)
    let identifier = task.taskIdentifier
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        // Registered and checked under one lock with the completion's own check, so the
        // continuation is resumed exactly once whichever comes first.
        let early = transfers.withLock { transfers -> (any Error)? in
          if let error = endedEarly.withLock({ $0.removeValue(forKey: identifier) }) { return error }
          transfers[identifier] = Transfer(continuation: continuation)
          return nil
        }
        if let early { continuation.resume(throwing: early) } else { task.resume() }
      }
    } onCancel: {
      task.cancel()
    }
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    transfers.withLock { $0[dataTask.taskIdentifier]?.response = response }
    completionHandler(.allow)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    // Appended in place: a copy of the transfer taken out of the table would share its
    // bytes, and every append would then copy them all.
    let passedTheLimit = transfers.withLock { transfers -> Bool in
      let identifier = dataTask.taskIdentifier
      guard let held = transfers[identifier]?.data.count, transfers[identifier]?.isTooLarge == false else { return false }
      guard held + data.count <= limit else {
        transfers[identifier]?.isTooLarge = true
        transfers[identifier]?.data = Data()
        return true
      }
      transfers[identifier]?.data.append(data)
      return false
    }
    if passedTheLimit { dataTask.cancel() }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
    let registered = transfers.withLock { transfers -> Transfer? in
      guard let transfer = transfers.removeValue(forKey: task.taskIdentifier) else {
        endedEarly.withLock { $0[task.taskIdentifier] = error ?? URLError(.cancelled) }
        return nil
      }
      return transfer
    }
    guard let transfer = registered else { return }
    if transfer.isTooLarge {
      transfer.continuation.resume(throwing: TooLarge(limit: limit))
    } else if let error {
      transfer.continuation.resume(throwing: error)
    } else if let response = transfer.response ?? task.response {
      transfer.continuation.resume(returning: (transfer.data, response))
    } else {
      transfer.continuation.resume(throwing: URLError(.badServerResponse))
    }
  }
}
