import Glibc

/// A connected stream socket, owned by the one thread that serves it.
///
/// Not `Sendable`: a socket is created on its connection's thread and never leaves it;
/// only the descriptor number crosses from the accepting thread.
final class Socket {
  let descriptor: Int32
  private var isClosed = false

  init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  deinit { close() }

  /// What waiting for input found.
  enum Wait {
    /// Bytes, end of stream, or an error can be read without blocking.
    case readable
    case timedOut
    /// The stop signal became readable first.
    case stopRequested
  }

  /// Waits until the socket is readable, `deadline` passes, or (when given) `stopSignal`
  /// is readable. Input already waiting wins over the stop signal.
  func waitForInput(until deadline: ContinuousClock.Instant, stopSignal: Int32? = nil) -> Wait {
    while true {
      let remaining = deadline - .now
      if remaining <= .zero { return .timedOut }
      var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
      if let stopSignal { descriptors.append(pollfd(fd: stopSignal, events: Int16(POLLIN), revents: 0)) }
      let ready = poll(&descriptors, nfds_t(descriptors.count), Socket.milliseconds(remaining))
      if ready < 0 {
        if errno == EINTR { continue }
        return .readable  // let recv report the error
      }
      if ready == 0 { continue }
      if descriptors[0].revents != 0 { return .readable }
      return .stopRequested
    }
  }

  /// Receives into `buffer`: the byte count, 0 at end of stream, or nil on error.
  func receive(into buffer: inout [UInt8]) -> Int? {
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count >= 0 { return count }
      if errno == EINTR { continue }
      return nil
    }
  }

  /// Sends every byte, blocking at most the send timeout per write; false if the peer is
  /// gone or too slow. MSG_NOSIGNAL: a closed peer is an error return, never SIGPIPE.
  func sendAll(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let sent = send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if sent < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += sent
      }
      return true
    }
  }

  /// Bounds each blocking send, so a client that stops reading cannot hold the thread.
  func setSendTimeout(_ timeout: Duration) {
    let milliseconds = Socket.milliseconds(timeout)
    var value = timeval(tv_sec: time_t(milliseconds / 1000), tv_usec: suseconds_t((milliseconds % 1000) * 1000))
    _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
  }

  /// Sends each response as soon as it is written; responses are written whole, so Nagle
  /// only adds a delayed-ACK stall between keep-alive requests.
  func disableNagle() {
    var one: Int32 = 1
    _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
  }

  /// Closes the connection the way RFC 9112 §9.6 asks: stop sending, then read and discard
  /// what the client is still sending for a short while, so that the kernel does not answer
  /// that unread data with a reset that could destroy the response before it is read.
  func closeGracefully(linger: Duration, stopSignal: Int32? = nil) {
    guard !isClosed else { return }
    _ = shutdown(descriptor, Int32(SHUT_WR))
    let deadline = ContinuousClock.now + linger
    var scratch = [UInt8](repeating: 0, count: 16 * 1024)
    var discarded = 0
    while discarded < 1 << 20, waitForInput(until: deadline, stopSignal: stopSignal) == .readable {
      guard let count = receive(into: &scratch), count > 0 else { break }
      discarded += count
    }
    close()
  }

  func close() {
    guard !isClosed else { return }
    isClosed = true
    _ = Glibc.close(descriptor)
  }

  /// `duration` in whole milliseconds, rounded up so a short wait is never a busy zero,
  /// and clamped to what poll accepts.
  static func milliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let total = seconds.multipliedReportingOverflow(by: 1000)
    let partial = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    if total.overflow || total.partialValue + partial > Int64(Int32.max) { return Int32.max }
    return Int32(total.partialValue + partial)
  }

  /// Whether `descriptor` is readable right now; used to test the stop signal.
  static func isReadable(_ descriptor: Int32) -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, 0) > 0
  }
}
