import Glibc

extension HTTPServer {
  /// Descriptors the process needs beyond one per connection: the listener, the stop pipe,
  /// standard streams, the hub's database and journal files, and headroom.
  public static let descriptorsBesideConnections = 64

  /// Raises the process's soft limit on open descriptors so that `maxConnections` connections
  /// can be accepted; the hard limit is never exceeded. Many systems start a service with a
  /// soft limit of 1024, which a full connection cap would exhaust: accept would then fail with
  /// EMFILE and every client, honest or slow, would be turned away.
  ///
  /// - Returns: the soft limit now in force, so the caller can warn when it is below what the
  ///   cap needs.
  @discardableResult
  public static func raiseDescriptorLimit(toServe maxConnections: Int) -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    let needed = rlim_t(max(0, maxConnections) + descriptorsBesideConnections)
    if limit.rlim_cur < needed {
      limit.rlim_cur = min(needed, limit.rlim_max)
      _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
      _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return Int(clamping: limit.rlim_cur)
  }
}
