/// A DEFLATE compressor (RFC 1951): LZ77 over a 32 KiB window with a hash-chain match
/// finder and one step of lazy matching, then each block sent as whichever of a dynamic
/// Huffman, fixed Huffman or stored block is smallest.
///
/// - Complexity: O(n): each position walks at most ``maxChainLength`` earlier candidates,
///   however repetitive the input.
struct DeflateEncoder: ~Copyable {
  /// How many earlier positions with the same 3-byte hash are tried per position: the
  /// bound that keeps the time linear. 64 finds nearly every match worth having in JSON.
  static let maxChainLength = 64
  /// A match this long is taken without looking further: longer ones save little more.
  static let niceLength = 128
  /// A match this long is not second-guessed by lazy matching: a longer one at the next
  /// byte would gain little and cost a search.
  static let maxLazyLength = 32
  /// When the match in hand is this long, the lazy search walks a quarter of the chain.
  static let goodLength = 8
  /// Symbols gathered per block. Smaller blocks adapt their codes to the data sooner;
  /// each costs a code table of some 60–80 bytes.
  static let symbolsPerBlock = 16_384

  private static let hashBits = 15
  private static let windowMask = DeflateAlphabet.windowSize - 1

  /// The raw DEFLATE stream of `input`.
  static func compress(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
    var encoder = DeflateEncoder(input: input)
    encoder.run()
    return encoder.writer.bytes
  }

  private let input: UnsafeBufferPointer<UInt8>
  private var writer: BitWriter
  /// The most recent position whose 3 bytes hash to each value, or -1. Raw memory: the
  /// match finder is the hot loop, and array checks there cost a third of the time.
  private let head: UnsafeMutablePointer<Int32>
  /// For each position in the window, the previous position with the same hash, or -1.
  private let previous: UnsafeMutablePointer<Int32>
  /// Positions below this one are in the hash chains.
  private var nextToInsert = 0
  /// The block so far: a literal byte, or `distance << 16 | length` for a match.
  private var symbols: [UInt32] = []
  private var literalLengthFrequencies = [Int](repeating: 0, count: DeflateAlphabet.literalLengthCount)
  private var distanceFrequencies = [Int](repeating: 0, count: DeflateAlphabet.distanceCount)
  /// Extra bits the block's lengths and distances carry, the same whatever code is chosen.
  private var extraBitCount = 0
  private var blockStart = 0
  /// The alphabet's tables, held here so the per-match paths do not pay for reaching a
  /// global each time.
  private let lengthIndex = DeflateAlphabet.lengthIndex
  private let distanceSymbol = DeflateAlphabet.distanceSymbol
  private let lengthExtraBits = DeflateAlphabet.lengthExtraBits
  private let distanceExtraBits = DeflateAlphabet.distanceExtraBits

  private init(input: UnsafeBufferPointer<UInt8>) {
    self.input = input
    writer = BitWriter(reservingCapacity: input.count / 4 + 64)
    head = .allocate(capacity: 1 << Self.hashBits)
    head.initialize(repeating: -1, count: 1 << Self.hashBits)
    previous = .allocate(capacity: DeflateAlphabet.windowSize)
    previous.initialize(repeating: -1, count: DeflateAlphabet.windowSize)
    symbols.reserveCapacity(Self.symbolsPerBlock)
  }

  deinit {
    head.deallocate()
    previous.deallocate()
  }

  private mutating func run() {
    var position = 0
    while position < input.count {
      // Checked before every symbol, so that a long run of literals is cut into blocks too.
      if symbols.count >= Self.symbolsPerBlock { writeBlock(end: position, isFinal: false) }
      var (length, distance) = longestMatch(at: position, chainLength: Self.maxChainLength)
      guard length >= DeflateAlphabet.minMatchLength else {
        recordLiteral(input[position])
        position += 1
        continue
      }
      // Lazy matching: a longer match starting one byte later is worth a literal.
      while length < Self.maxLazyLength && position + 1 < input.count {
        let chain = length >= Self.goodLength ? Self.maxChainLength / 4 : Self.maxChainLength
        let (nextLength, nextDistance) = longestMatch(at: position + 1, chainLength: chain)
        guard nextLength > length else { break }
        recordLiteral(input[position])
        position += 1
        (length, distance) = (nextLength, nextDistance)
      }
      recordMatch(length: length, distance: distance)
      position += length
    }
    writeBlock(end: input.count, isFinal: true)
    writer.alignToByte()
  }

  /// Adds every position up to `position` to the hash chains, then finds the longest
  /// match for the bytes at `position` among the chain's candidates.
  private mutating func longestMatch(at position: Int, chainLength: Int) -> (length: Int, distance: Int) {
    insertPositions(through: position - 1)
    let available = input.count - position
    guard available >= DeflateAlphabet.minMatchLength else { return (0, 0) }
    let maxLength = min(available, DeflateAlphabet.maxMatchLength)
    var candidate = Int(head[hash(at: position)])
    insertPositions(through: position)
    var bestLength = DeflateAlphabet.minMatchLength - 1
    var bestDistance = 0
    var chain = chainLength
    let base = input.baseAddress!
    while candidate >= 0 && position - candidate <= DeflateAlphabet.windowSize && chain > 0 {
      // The byte just past the best match so far must match for a candidate to beat it.
      if base[candidate + bestLength] == base[position + bestLength] {
        let length = Self.matchLength(base + candidate, base + position, limit: maxLength)
        if length > bestLength {
          bestLength = length
          bestDistance = position - candidate
          if length >= min(maxLength, Self.niceLength) { break }
        }
      }
      let next = Int(previous[candidate & Self.windowMask])
      // An entry overwritten by a newer position would point forwards: the chain ends.
      guard next < candidate else { break }
      candidate = next
      chain -= 1
    }
    return bestLength >= DeflateAlphabet.minMatchLength ? (bestLength, bestDistance) : (0, 0)
  }

  private mutating func insertPositions(through last: Int) {
    let end = min(last, input.count - DeflateAlphabet.minMatchLength)
    while nextToInsert <= end {
      let slot = hash(at: nextToInsert)
      previous[nextToInsert & Self.windowMask] = head[slot]
      head[slot] = Int32(nextToInsert)
      nextToInsert += 1
    }
    nextToInsert = max(nextToInsert, last + 1)
  }

  private func hash(at position: Int) -> Int {
    let key = UInt32(input[position]) << 16 | UInt32(input[position + 1]) << 8 | UInt32(input[position + 2])
    return Int((key &* 2_654_435_761) >> UInt32(32 - Self.hashBits))
  }

  /// How many bytes at `a` and `b` agree, up to `limit`, eight at a time.
  private static func matchLength(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, limit: Int) -> Int {
    var length = 0
    let rawA = UnsafeRawPointer(a)
    let rawB = UnsafeRawPointer(b)
    while length + 8 <= limit {
      let difference =
        UInt64(littleEndian: rawA.loadUnaligned(fromByteOffset: length, as: UInt64.self))
        ^ UInt64(littleEndian: rawB.loadUnaligned(fromByteOffset: length, as: UInt64.self))
      if difference != 0 { return length + difference.trailingZeroBitCount / 8 }
      length += 8
    }
    while length < limit && a[length] == b[length] { length += 1 }
    return length
  }

  private mutating func recordLiteral(_ byte: UInt8) {
    symbols.append(UInt32(byte))
    literalLengthFrequencies[Int(byte)] += 1
  }

  private mutating func recordMatch(length: Int, distance: Int) {
    symbols.append(UInt32(distance) << 16 | UInt32(length))
    let lengthSymbol = Int(lengthIndex[length])
    let distanceSymbol = Int(distanceSymbol[distance])
    literalLengthFrequencies[257 + lengthSymbol] += 1
    distanceFrequencies[distanceSymbol] += 1
    extraBitCount += lengthExtraBits[lengthSymbol] + distanceExtraBits[distanceSymbol]
  }

  /// Writes the gathered symbols, which cover `blockStart..<end` of the input, as the
  /// smallest of the three block types, and starts a new block.
  private mutating func writeBlock(end: Int, isFinal: Bool) {
    literalLengthFrequencies[DeflateAlphabet.endOfBlock] += 1
    let dynamic = DynamicBlockHeader(
      literalLengthFrequencies: literalLengthFrequencies, distanceFrequencies: distanceFrequencies)
    let dynamicBits = 3 + dynamic.bitCount + dataBitCount(dynamic.literalLength, dynamic.distance)
    let fixedBits = 3 + dataBitCount(.fixedLiteralLength, .fixedDistance)
    let storedByteCount = end - blockStart
    let storedBlockCount = max(1, (storedByteCount + 65_534) / 65_535)
    // Each stored block: 3 header bits padded to a byte (counted as a byte), LEN and NLEN.
    let storedBits = (storedByteCount + 5 * storedBlockCount) * 8

    if storedBits <= min(fixedBits, dynamicBits) {
      writeStored(UnsafeBufferPointer(rebasing: input[blockStart..<end]), isFinal: isFinal)
    } else if fixedBits <= dynamicBits {
      writer.write(isFinal ? 1 : 0, count: 1)
      writer.write(1, count: 2)
      writeSymbols(.fixedLiteralLength, .fixedDistance)
    } else {
      writer.write(isFinal ? 1 : 0, count: 1)
      writer.write(2, count: 2)
      dynamic.write(to: &writer)
      writeSymbols(dynamic.literalLength, dynamic.distance)
    }
    symbols.removeAll(keepingCapacity: true)
    for index in literalLengthFrequencies.indices { literalLengthFrequencies[index] = 0 }
    for index in distanceFrequencies.indices { distanceFrequencies[index] = 0 }
    extraBitCount = 0
    blockStart = end
  }

  private func dataBitCount(_ literalLength: HuffmanCode, _ distance: HuffmanCode) -> Int {
    var bits = extraBitCount
    for (symbol, frequency) in literalLengthFrequencies.enumerated() { bits += frequency * Int(literalLength.lengths[symbol]) }
    for (symbol, frequency) in distanceFrequencies.enumerated() { bits += frequency * Int(distance.lengths[symbol]) }
    return bits
  }

  private mutating func writeSymbols(_ literalLength: HuffmanCode, _ distance: HuffmanCode) {
    let lengths = literalLength.lengths
    let codes = literalLength.reversedCodes
    let lengthBase = DeflateAlphabet.lengthBase
    let distanceBase = DeflateAlphabet.distanceBase
    for symbol in symbols {
      let matchDistance = Int(symbol >> 16)
      if matchDistance == 0 {
        writer.write(UInt32(codes[Int(symbol)]), count: Int(lengths[Int(symbol)]))
        continue
      }
      let length = Int(symbol & 0xFFFF)
      let lengthSymbol = Int(lengthIndex[length])
      writer.write(UInt32(codes[257 + lengthSymbol]), count: Int(lengths[257 + lengthSymbol]))
      writer.write(UInt32(length - lengthBase[lengthSymbol]), count: lengthExtraBits[lengthSymbol])
      let distanceSymbol = Int(distanceSymbol[matchDistance])
      writer.write(UInt32(distance.reversedCodes[distanceSymbol]), count: Int(distance.lengths[distanceSymbol]))
      writer.write(UInt32(matchDistance - distanceBase[distanceSymbol]), count: distanceExtraBits[distanceSymbol])
    }
    writer.write(UInt32(codes[DeflateAlphabet.endOfBlock]), count: Int(lengths[DeflateAlphabet.endOfBlock]))
  }

  /// Stored blocks hold at most 65 535 bytes each; only the last one may be final.
  private mutating func writeStored(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool) {
    var offset = 0
    repeat {
      let count = min(65_535, bytes.count - offset)
      let isLast = offset + count == bytes.count
      writer.write(isFinal && isLast ? 1 : 0, count: 1)
      writer.write(0, count: 2)
      writer.alignToByte()
      writer.write(UInt32(count) | UInt32(~UInt16(count)) << 16, count: 32)
      writer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]))
      offset += count
    } while offset < bytes.count
  }
}
