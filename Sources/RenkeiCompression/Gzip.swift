/// The gzip file format (RFC 1952): DEFLATE data framed by a header and a trailer that
/// carries the CRC-32 and length of the original bytes — what `Content-Encoding: gzip`
/// means on the wire.
public enum Gzip {
  /// The byte every gzip member starts with, then ``secondMagicByte``.
  public static let firstMagicByte: UInt8 = 0x1F
  public static let secondMagicByte: UInt8 = 0x8B

  private static let deflateMethod: UInt8 = 8
  private static let headerCRCFlag: UInt8 = 0x02
  private static let extraFieldFlag: UInt8 = 0x04
  private static let nameFlag: UInt8 = 0x08
  private static let commentFlag: UInt8 = 0x10
  private static let reservedFlags: UInt8 = 0xE0

  /// One gzip member holding `bytes`, with no name and no time stamp, so the same input
  /// always gives the same output.
  public static func compress(_ bytes: [UInt8]) -> [UInt8] {
    // Modification time 0 ("none"), no extra flags, operating system 255 ("unknown").
    var output: [UInt8] = [firstMagicByte, secondMagicByte, deflateMethod, 0, 0, 0, 0, 0, 0, 255]
    output += Deflate.compress(bytes)
    let checksum = CRC32.checksum(bytes)
    let size = UInt32(truncatingIfNeeded: bytes.count)
    for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: checksum >> UInt32(shift))) }
    for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: size >> UInt32(shift))) }
    return output
  }

  /// The bytes the gzip data holds; several members are joined, as RFC 1952 §2.2 allows.
  ///
  /// - Parameter limit: the most bytes the output may have, over all members; more is
  ///   refused without allocating past it.
  /// - Throws: ``CompressionError``: a header that is not gzip or uses reserved features, a
  ///   malformed or truncated DEFLATE stream, a trailer whose CRC-32 or length disagrees,
  ///   bytes after the last member, or output over `limit`.
  public static func decompress(_ bytes: [UInt8], limit: Int) throws(CompressionError) -> [UInt8] {
    try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> [UInt8] in
      guard input.count > 0 else { throw CompressionError(.truncatedInput, message: "The gzip data is empty.") }
      var position = try headerEnd(input, from: 0)
      var decoder = DeflateDecoder(input: input, startingAt: position, limit: limit)
      while true {
        let memberStart = decoder.count
        try decoder.decodeStream()
        position = decoder.position
        guard input.count - position >= 8 else {
          throw CompressionError(.truncatedInput, message: "The gzip data ends before its trailer.")
        }
        let checksum = decoder.withOutput { CRC32.checksum(UnsafeBufferPointer(rebasing: $0[memberStart...])) }
        guard littleEndianWord(input, at: position) == checksum else {
          throw CompressionError(.checksumMismatch, message: "The gzip data's CRC-32 does not match its contents.")
        }
        guard littleEndianWord(input, at: position + 4) == UInt32(truncatingIfNeeded: decoder.count - memberStart) else {
          throw CompressionError(.lengthMismatch, message: "The gzip data's length field does not match its contents.")
        }
        position += 8
        if position == input.count { return decoder.takeOutput() }
        guard input.count - position >= 2, input[position] == firstMagicByte, input[position + 1] == secondMagicByte else {
          throw CompressionError(.trailingData, message: "Bytes that are not gzip follow the gzip data.")
        }
        decoder.moveInput(to: try headerEnd(input, from: position))
      }
    }
  }

  private static func littleEndianWord(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(input[offset + $1]) << UInt32(8 * $1) }
  }

  /// Checks the member header at `start` and returns where its DEFLATE data begins.
  private static func headerEnd(_ input: UnsafeBufferPointer<UInt8>, from start: Int) throws(CompressionError) -> Int {
    let truncated = CompressionError(.truncatedInput, message: "The gzip header is cut short.")
    guard input.count - start >= 2 else { throw truncated }
    guard input[start] == firstMagicByte, input[start + 1] == secondMagicByte else {
      throw CompressionError(.notGzip, message: "The data does not start with the gzip magic bytes.")
    }
    guard input.count - start >= 10 else { throw truncated }
    guard input[start + 2] == deflateMethod else {
      throw CompressionError(.unsupportedMethod, message: "The gzip header names a compression method other than DEFLATE.")
    }
    let flags = input[start + 3]
    guard flags & reservedFlags == 0 else {
      throw CompressionError(.reservedFlags, message: "The gzip header sets reserved flags.")
    }
    var position = start + 10
    if flags & extraFieldFlag != 0 {
      guard input.count - position >= 2 else { throw truncated }
      let length = Int(input[position]) | Int(input[position + 1]) << 8
      guard input.count - position - 2 >= length else { throw truncated }
      position += 2 + length
    }
    for flag in [nameFlag, commentFlag] where flags & flag != 0 {
      // A zero-terminated Latin-1 string: skipped, Renkei has no use for it.
      guard let end = input[position...].firstIndex(of: 0) else { throw truncated }
      position = end + 1
    }
    if flags & headerCRCFlag != 0 {
      guard input.count - position >= 2 else { throw truncated }
      let stored = UInt32(input[position]) | UInt32(input[position + 1]) << 8
      let computed = CRC32.checksum(UnsafeBufferPointer(rebasing: input[start..<position])) & 0xFFFF
      guard stored == computed else {
        throw CompressionError(.headerChecksumMismatch, message: "The gzip header's CRC-16 does not match it.")
      }
      position += 2
    }
    return position
  }
}
