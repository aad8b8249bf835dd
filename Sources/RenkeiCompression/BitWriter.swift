/// Packs DEFLATE's bit fields into bytes, least significant bit first (RFC 1951 §3.1.1).
struct BitWriter {
  private(set) var bytes: [UInt8] = []
  /// Bits not yet written out, the oldest in the low end; fewer than 32 between calls.
  private var pending: UInt64 = 0
  private var pendingCount = 0

  init(reservingCapacity capacity: Int) {
    bytes.reserveCapacity(capacity)
  }

  /// Appends the low `count` bits of `value` (`count` ≤ 32). Huffman codes must already be
  /// bit-reversed: DEFLATE sends them most significant bit first.
  mutating func write(_ value: UInt32, count: Int) {
    pending |= UInt64(value) << UInt64(pendingCount)
    pendingCount += count
    // Flushing whole 32-bit words keeps the appends few while `pending` never overflows.
    if pendingCount >= 32 {
      let word = UInt32(truncatingIfNeeded: pending)
      bytes.append(UInt8(truncatingIfNeeded: word))
      bytes.append(UInt8(truncatingIfNeeded: word >> 8))
      bytes.append(UInt8(truncatingIfNeeded: word >> 16))
      bytes.append(UInt8(truncatingIfNeeded: word >> 24))
      pending >>= 32
      pendingCount -= 32
    }
  }

  /// Pads with zero bits to the next byte boundary, as stored blocks and the end of the
  /// stream require.
  mutating func alignToByte() {
    while pendingCount > 0 {
      bytes.append(UInt8(truncatingIfNeeded: pending))
      pending >>= 8
      pendingCount = max(0, pendingCount - 8)
    }
    pending = 0
  }

  /// Appends whole bytes; the writer must be byte-aligned.
  mutating func append(contentsOf raw: UnsafeBufferPointer<UInt8>) {
    precondition(pendingCount == 0, "raw bytes must start on a byte boundary")
    bytes.append(contentsOf: raw)
  }
}
