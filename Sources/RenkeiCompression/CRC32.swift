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
  ///
  /// Four bytes per step with four tables ("slicing by 4"): the look-ups of one step do
  /// not wait on each other, which triples the speed of the byte-at-a-time loop.
  public mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    var crc = ~value
    Self.tables.withUnsafeBufferPointer { tables in
      var index = 0
      if let base = bytes.baseAddress {
        let raw = UnsafeRawPointer(base)
        while index + 4 <= bytes.count {
          crc ^= UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))
          crc =
            tables[3 * 256 + Int(crc & 0xFF)] ^ tables[2 * 256 + Int((crc >> 8) & 0xFF)]
            ^ tables[256 + Int((crc >> 16) & 0xFF)] ^ tables[Int(crc >> 24)]
          index += 4
        }
      }
      while index < bytes.count {
        crc = tables[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
        index += 1
      }
    }
    value = ~crc
  }

  /// Table 0 holds the remainder of every byte value; table k that of the byte followed
  /// by k zero bytes, so four bytes fold in with four independent look-ups.
  private static let tables: [UInt32] = {
    var tables = [UInt32](repeating: 0, count: 4 * 256)
    for index in 0..<256 {
      var entry = UInt32(index)
      for _ in 0..<8 { entry = entry & 1 == 1 ? 0xEDB8_8320 ^ (entry >> 1) : entry >> 1 }
      tables[index] = entry
    }
    for table in 1..<4 {
      for index in 0..<256 {
        let previous = tables[(table - 1) * 256 + index]
        tables[table * 256 + index] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
      }
    }
    return tables
  }()
}
