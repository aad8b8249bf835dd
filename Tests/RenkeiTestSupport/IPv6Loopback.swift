import Glibc

/// Whether this machine can listen on the IPv6 loopback address: a container or a kernel
/// without IPv6 has no `::1`, and tests that need it are skipped there, saying so.
public enum IPv6Loopback {
  /// The reason tests that need `::1` are skipped where it is missing.
  public static let missingReason =
    "skipped: this machine cannot listen on the IPv6 loopback address ::1 (no IPv6, or ::1 not configured; see `ip -6 addr`)"

  /// True when a TCP socket can be bound to `[::1]:0`.
  public static var isAvailable: Bool {
    let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr = in6addr_loopback
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
    } == 0
  }
}
