/// The CRC-32 of ISO 3309 / ITU-T V.42 that gzip trailers carry (RFC 1952 §8): reflected,
/// polynomial 0xEDB88320, initial and final value all ones.
///
/// Feed bytes with ``update(_:)`` as they come; ``value`` is the checksum so far.
///
/// - Complexity: O(n), one table look-up per byte.
public struct CRC32: Sendable, Hashable {
  /// The checksum of the bytes fed so far (0 for none).
  public private(set) var value: UInt32 = 0

  public init() {}

  /// The checksum of `bytes`.
  public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc = CRC32()
    crc.update(bytes)
    return crc.value
  }

  /// Continues the checksum over `bytes`.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let handled: Void? = bytes.withContiguousStorageIfAvailable { update($0) }
    if handled == nil { update(Array(bytes)) }
  }

  /// Continues the checksum over `bytes`; the fast path every other entry uses.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    var crc = ~value
    Self.table.withUnsafeBufferPointer { table in
      for byte in bytes {
        crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
      }
    }
    value = ~crc
  }

  /// The remainder of every byte value, so each input byte costs one look-up instead of
  /// eight shifts.
  private static let table: [UInt32] = (0..<256).map { index in
    var entry = UInt32(index)
    for _ in 0..<8 {
      entry = entry & 1 == 1 ? 0xEDB8_8320 ^ (entry >> 1) : entry >> 1
    }
    return entry
  }
}
