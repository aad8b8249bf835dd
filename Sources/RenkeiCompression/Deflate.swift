/// Raw DEFLATE streams (RFC 1951), without a container.
public enum Deflate {
  /// The DEFLATE stream of `bytes`.
  public static func compress(_ bytes: [UInt8]) -> [UInt8] {
    bytes.withUnsafeBufferPointer { DeflateEncoder.compress($0) }
  }

  /// The bytes a DEFLATE stream holds.
  ///
  /// - Parameter limit: the most bytes the output may have; more is refused.
  /// - Throws: ``CompressionError`` if the stream is malformed, truncated, followed by
  ///   anything, or decompresses to more than `limit` bytes.
  public static func decompress(_ bytes: [UInt8], limit: Int) throws(CompressionError) -> [UInt8] {
    try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> [UInt8] in
      var decoder = DeflateDecoder(input: input, limit: limit)
      try decoder.decodeStream()
      guard decoder.position == input.count else {
        throw CompressionError(.trailingData, message: "Bytes follow the end of the DEFLATE stream.")
      }
      return decoder.takeOutput()
    }
  }
}
