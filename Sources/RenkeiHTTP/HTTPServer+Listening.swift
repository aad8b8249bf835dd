import Glibc

extension HTTPServer {
  /// Resolves `host`, then binds and listens on the first address that accepts, with
  /// SO_REUSEADDR so a restarted hub can rebind while old connections sit in TIME_WAIT.
  /// The socket is non-blocking: a connection reset between poll and accept must not
  /// stall the accepting thread.
  ///
  /// - Returns: the listening descriptor and the port it is bound to.
  static func makeListener(host: String, port: Int, backlog: Int32) throws(HTTPServerError) -> (
    descriptor: Int32, port: Int
  ) {
    guard (0...65_535).contains(port) else {
      throw HTTPServerError(operation: "resolve", message: "port \(port) is not between 0 and 65535")
    }
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    var results: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &results)
    guard status == 0, let first = results else {
      throw HTTPServerError(operation: "resolve", errorNumber: status, message: String(cString: gai_strerror(status)))
    }
    defer { freeaddrinfo(results) }

    var lastError = HTTPServerError(operation: "resolve", message: "no address for \(host)")
    var candidate: UnsafeMutablePointer<addrinfo>? = first
    while let address = candidate?.pointee {
      candidate = address.ai_next
      let descriptor = socket(
        address.ai_family,
        address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
        address.ai_protocol)
      guard descriptor >= 0 else {
        lastError = .system("socket")
        continue
      }
      var one: Int32 = 1
      _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
      guard bind(descriptor, address.ai_addr, address.ai_addrlen) == 0 else {
        lastError = .system("bind")
        _ = Glibc.close(descriptor)
        continue
      }
      guard listen(descriptor, backlog) == 0 else {
        lastError = .system("listen")
        _ = Glibc.close(descriptor)
        continue
      }
      guard let boundPort = localPort(of: descriptor) else {
        lastError = .system("getsockname")
        _ = Glibc.close(descriptor)
        continue
      }
      return (descriptor, boundPort)
    }
    throw lastError
  }

  private static func localPort(of descriptor: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let status = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard status == 0 else { return nil }
    switch Int32(storage.ss_family) {
    case AF_INET:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
      }
    case AF_INET6:
      return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
      }
    default:
      return nil
    }
  }
}
