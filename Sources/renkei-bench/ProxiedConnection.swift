import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The two sockets of one proxied connection, closed when both directions have ended.
final class ProxiedConnection: Sendable {
  let client: Int32
  let server: Int32
  private let finished = Atomic<Int>(0)

  init(client: Int32, server: Int32) {
    self.client = client
    self.server = server
  }

  func finishOneWay() {
    if finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 {
      close(client)
      close(server)
    }
  }
}
