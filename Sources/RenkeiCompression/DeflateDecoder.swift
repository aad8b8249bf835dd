/// A strict DEFLATE decompressor (RFC 1951) for all three block types.
///
/// It owns its output buffer and grows it by doubling, but never past `limit`: input that
/// would decompress further is refused with ``CompressionError/Kind/outputLimitExceeded``
/// before the memory is taken. Noncopyable, so the buffer has exactly one owner.
///
/// Several streams may be decoded one after another into the same output (gzip members);
/// a match never reaches back into an earlier stream.
struct DeflateDecoder: ~Copyable {
  private let input: UnsafeBufferPointer<UInt8>
  /// The next input byte not yet taken into ``bitBuffer``.
  private(set) var position: Int
  /// Input bits taken but not consumed, the next one lowest; the bits above
  /// ``bitCount`` are always zero.
  private var bitBuffer: UInt64 = 0
  private var bitCount = 0
  private var output: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  private(set) var count = 0
  private let limit: Int
  private var streamStart = 0

  init(input: UnsafeBufferPointer<UInt8>, startingAt position: Int = 0, limit: Int) {
    self.input = input
    self.position = position
    self.limit = max(0, limit)
    // A guess that serves typical JSON (4–10× smaller compressed) without a copy or two.
    capacity = max(1, min(self.limit, max(4096, input.count * 4)))
    output = .allocate(capacity: capacity)
  }

  deinit { output.deallocate() }

  /// The bytes decoded so far.
  func withOutput<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
    try body(UnsafeBufferPointer(start: output, count: count))
  }

  /// The output as an array; the decoder is used up.
  consuming func takeOutput() -> [UInt8] {
    Array(UnsafeBufferPointer(start: output, count: count))
  }

  /// Decodes one stream starting at ``position``; afterwards ``position`` is the first byte
  /// after it (the stream's last partial byte is skipped, as the format says).
  mutating func decodeStream() throws(CompressionError) {
    streamStart = count
    var isFinal = false
    while !isFinal {
      isFinal = try bits(1) == 1
      switch try bits(2) {
      case 0: try decodeStoredBlock()
      case 1: try decodeCompressedBlock(HuffmanDecodingTable.fixedLiteralLength, HuffmanDecodingTable.fixedDistance)
      case 2:
        let (literalLength, distance) = try readDynamicCodes()
        try decodeCompressedBlock(literalLength, distance)
      default: throw CompressionError(.invalidBlockType, message: "A DEFLATE block has the reserved type 3.")
      }
    }
    returnUnusedBytes()
  }

  /// Continues at `newPosition` for the next stream, e.g. past the next gzip member's
  /// header. Only between streams, when no bits are pending.
  mutating func moveInput(to newPosition: Int) {
    precondition(bitCount == 0, "the input moves only between streams")
    position = newPosition
  }

  /// Gives back the whole bytes taken into the bit buffer but not consumed, after
  /// dropping the bits left in the current byte.
  private mutating func returnUnusedBytes() {
    position -= bitCount / 8
    bitBuffer = 0
    bitCount = 0
  }

  private mutating func refill() {
    while bitCount <= 56 && position < input.count {
      bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
      position += 1
      bitCount += 8
    }
  }

  private mutating func bits(_ wanted: Int) throws(CompressionError) -> Int {
    if bitCount < wanted {
      refill()
      guard bitCount >= wanted else { throw Self.truncated }
    }
    let value = Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(wanted)) - 1))
    bitBuffer >>= UInt64(wanted)
    bitCount -= wanted
    return value
  }

  private static let truncated = CompressionError(.truncatedInput, message: "The compressed data ends too soon.")

  private mutating func decodeSymbol(_ table: HuffmanDecodingTable) throws(CompressionError) -> Int {
    if bitCount < DeflateAlphabet.maxCodeLength { refill() }
    let entry = table.primary[Int(truncatingIfNeeded: bitBuffer) & ((1 << HuffmanDecodingTable.primaryBits) - 1)]
    let length = Int(entry & 0xF)
    guard length > 0 else { return try decodeSlowly(table) }
    // The buffer is zero past its end, so a short code near the end of input still looks
    // up right; only a code longer than what is left is truncated.
    guard length <= bitCount else { throw Self.truncated }
    bitBuffer >>= UInt64(length)
    bitCount -= length
    return Int(entry >> 4)
  }

  /// Reads a code longer than the primary table one bit at a time against the canonical
  /// counts: canonical codes of each length are consecutive numbers.
  private mutating func decodeSlowly(_ table: HuffmanDecodingTable) throws(CompressionError) -> Int {
    var code = 0
    var first = 0
    var index = 0
    for length in 1...DeflateAlphabet.maxCodeLength {
      code |= try bits(1)
      let count = table.lengthCounts[length]
      if code - first < count { return Int(table.sortedSymbols[index + code - first]) }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw CompressionError(.invalidSymbol, message: "The compressed data has a code its Huffman table does not assign.")
  }

  private mutating func reserve(_ extra: Int) throws(CompressionError) {
    // The limit first: the buffer may be larger than the limit (never smaller than one byte).
    guard extra <= limit - count else {
      throw CompressionError(
        .outputLimitExceeded, message: "The data decompresses to more than the limit of \(limit) bytes.")
    }
    guard count + extra > capacity else { return }
    let newCapacity = min(limit, max(capacity * 2, count + extra))
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    grown.update(from: output, count: count)
    output.deallocate()
    output = grown
    capacity = newCapacity
  }

  private mutating func decodeStoredBlock() throws(CompressionError) {
    _ = try bits(bitCount % 8)
    returnUnusedBytes()
    guard input.count - position >= 4 else { throw Self.truncated }
    let length = Int(input[position]) | Int(input[position + 1]) << 8
    let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
    guard length == complement ^ 0xFFFF else {
      throw CompressionError(.storedLengthMismatch, message: "A stored block's length does not match its complement.")
    }
    position += 4
    guard input.count - position >= length else { throw Self.truncated }
    try reserve(length)
    (output + count).update(from: input.baseAddress! + position, count: length)
    count += length
    position += length
  }

  private mutating func readDynamicCodes() throws(CompressionError) -> (HuffmanDecodingTable, HuffmanDecodingTable) {
    let literalLengthCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let codeLengthCount = try bits(4) + 4
    guard literalLengthCount <= DeflateAlphabet.literalLengthCount, distanceCount <= DeflateAlphabet.distanceCount else {
      throw CompressionError(.invalidCodeLengths, message: "A dynamic block declares too many length or distance codes.")
    }
    var codeLengthLengths = [UInt8](repeating: 0, count: 19)
    for symbol in DeflateAlphabet.codeLengthOrder.prefix(codeLengthCount) { codeLengthLengths[symbol] = UInt8(try bits(3)) }
    let codeLengthTable = try HuffmanDecodingTable(lengths: codeLengthLengths, alphabet: .codeLengths)

    let total = literalLengthCount + distanceCount
    var lengths = [UInt8](repeating: 0, count: total)
    var index = 0
    while index < total {
      let symbol = try decodeSymbol(codeLengthTable)
      if symbol < 16 {
        lengths[index] = UInt8(symbol)
        index += 1
        continue
      }
      let repeated: UInt8
      let runLength: Int
      switch symbol {
      case 16:
        guard index > 0 else {
          throw CompressionError(.invalidCodeLengths, message: "A dynamic block repeats a code length before the first.")
        }
        repeated = lengths[index - 1]
        runLength = 3 + (try bits(2))
      case 17:
        repeated = 0
        runLength = 3 + (try bits(3))
      default:
        repeated = 0
        runLength = 11 + (try bits(7))
      }
      guard runLength <= total - index else {
        throw CompressionError(.invalidCodeLengths, message: "A dynamic block repeats code lengths past their end.")
      }
      for offset in index..<index + runLength { lengths[offset] = repeated }
      index += runLength
    }
    guard lengths[DeflateAlphabet.endOfBlock] > 0 else {
      throw CompressionError(.invalidCodeLengths, message: "A dynamic block has no end-of-block code.")
    }
    return (
      try HuffmanDecodingTable(lengths: lengths[..<literalLengthCount], alphabet: .literalLengths),
      try HuffmanDecodingTable(lengths: lengths[literalLengthCount...], alphabet: .distances)
    )
  }

  private mutating func decodeCompressedBlock(
    _ literalLength: HuffmanDecodingTable, _ distance: HuffmanDecodingTable
  ) throws(CompressionError) {
    while true {
      let symbol = try decodeSymbol(literalLength)
      if symbol < DeflateAlphabet.endOfBlock {
        try reserve(1)
        output[count] = UInt8(truncatingIfNeeded: symbol)
        count += 1
        continue
      }
      if symbol == DeflateAlphabet.endOfBlock { return }
      let lengthIndex = symbol - 257
      guard lengthIndex < DeflateAlphabet.lengthBase.count else {
        throw CompressionError(.invalidSymbol, message: "The compressed data uses a reserved length code.")
      }
      let length = DeflateAlphabet.lengthBase[lengthIndex] + (try bits(DeflateAlphabet.lengthExtraBits[lengthIndex]))
      if distance.sortedSymbols.isEmpty {
        throw CompressionError(.invalidSymbol, message: "A block without distance codes has a match.")
      }
      let distanceSymbol = try decodeSymbol(distance)
      guard distanceSymbol < DeflateAlphabet.distanceCount else {
        throw CompressionError(.invalidSymbol, message: "The compressed data uses a reserved distance code.")
      }
      let matchDistance =
        DeflateAlphabet.distanceBase[distanceSymbol] + (try bits(DeflateAlphabet.distanceExtraBits[distanceSymbol]))
      guard matchDistance <= count - streamStart else {
        throw CompressionError(.distanceTooFarBack, message: "A match refers back before the start of the data.")
      }
      try reserve(length)
      let source = output + (count - matchDistance)
      let destination = output + count
      if matchDistance >= length {
        destination.update(from: source, count: length)
      } else {
        // Overlapping: the match repeats bytes it is itself producing, so copy forwards.
        for offset in 0..<length { destination[offset] = source[offset] }
      }
      count += length
    }
  }
}
