import Glibc
import Synchronization

/// Lets a task's cancellation stop a ``PlainHTTPExchange`` blocked on its socket: cancelling
/// shuts the socket down, so a waiting `recv` or `send` returns at once instead of waiting
/// out its timeout. The socket is closed under the same lock, so a cancel never reaches a
/// descriptor number the system has since given to another file.
final class ExchangeCancellation: Sendable {
  private struct State {
    var descriptor: Int32?
    var isCancelled = false
  }

  private let state = Mutex(State())

  var isCancelled: Bool { state.withLock { $0.isCancelled } }

  func cancel() {
    state.withLock { state in
      state.isCancelled = true
      if let descriptor = state.descriptor { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }
  }

  /// Takes charge of the connected socket; false, with the socket closed, when the exchange
  /// was cancelled while it connected.
  func adopt(_ descriptor: Int32) -> Bool {
    state.withLock { state in
      guard !state.isCancelled else {
        Glibc.close(descriptor)
        return false
      }
      state.descriptor = descriptor
      return true
    }
  }

  /// Closes the socket taken in charge.
  func close() {
    state.withLock { state in
      if let descriptor = state.descriptor { Glibc.close(descriptor) }
      state.descriptor = nil
    }
  }
}
