import Glibc

@testable import RenkeiAgent

/// A listening socket on a free loopback port, for the scripted servers the client tests
/// answer from.
struct LoopbackListener {
  let descriptor: Int32
  let port: Int

  init(backlog: Int32) throws {
    descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let listener = descriptor
    try withUnsafePointer(to: &address) {
      try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        guard bind(listener, $0, length) == 0, listen(listener, backlog) == 0 else {
          close(listener)
          throw PlainHTTPExchange.Failure(description: "cannot listen on loopback")
        }
      }
    }
    withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
    }
    port = Int(UInt16(bigEndian: address.sin_port))
  }
}
