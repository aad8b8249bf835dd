import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP proxy on 127.0.0.1 that forwards every connection to a port on the same host and
/// counts the bytes each way: what a sync puts on the wire, HTTP heads included.
final class LoopbackProxy: Sendable {
  let port: Int
  private let listener: Int32
  private let toServer = Atomic<Int>(0)
  private let toClient = Atomic<Int>(0)

  /// Bytes sent by clients and by the server so far.
  var counts: (toServer: Int, toClient: Int) { (toServer.load(ordering: .acquiring), toClient.load(ordering: .acquiring)) }

  init(forwardingTo target: Int) throws {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw BenchmarkError("proxy: socket: \(Self.lastError())") }
    var address = Self.loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      let error = Self.lastError()
      close(descriptor)
      throw BenchmarkError("proxy: bind/listen: \(error)")
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    listener = descriptor
    port = Int(UInt16(bigEndian: address.sin_port))
    let thread = Thread { [self] in acceptLoop(target: target) }
    thread.start()
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }

  /// Stops accepting; connections already open end when their peers close them.
  func stop() {
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
  }

  private func acceptLoop(target: Int) {
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        return
      }
      let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = Self.loopback(port: target)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard connected == 0 else {
        close(client)
        close(server)
        continue
      }
      let pair = ProxiedConnection(client: client, server: server)
      Thread { [self] in pump(from: client, to: server, counter: toServer, pair: pair) }.start()
      Thread { [self] in pump(from: server, to: client, counter: toClient, pair: pair) }.start()
    }
  }

  private func pump(from source: Int32, to destination: Int32, counter: borrowing Atomic<Int>, pair: ProxiedConnection) {
    var buffer = [UInt8](repeating: 0, count: 65_536)
    loop: while true {
      let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { break }
      var sent = 0
      while sent < count {
        let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, count - sent) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { break loop }
        sent += written
      }
      counter.add(count, ordering: .relaxed)
    }
    shutdown(destination, Int32(SHUT_WR))
    pair.finishOneWay()
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }
}
