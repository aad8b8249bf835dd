/// A prefix code ready for decoding: a direct look-up table for codes up to
/// ``primaryBits`` long, the common case, and the canonical counts for the rare longer ones.
///
/// Building it checks the lengths the way the format demands (RFC 1951 §3.2.2, with
/// zlib's reading of the edge cases): never over-subscribed; complete, except that a
/// literal/length or distance code may have a single 1-bit code, and a distance code may
/// have none at all.
struct HuffmanDecodingTable: Sendable {
  enum Alphabet {
    case codeLengths, literalLengths, distances
  }

  static let primaryBits = 9

  /// Indexed by the next `primaryBits` input bits: `symbol << 4 | length`, or 0 when the
  /// code is longer (or unassigned) and ``decodeSlowly`` must walk the counts.
  let primary: [UInt32]
  /// How many codes each length 0…15 has.
  let lengthCounts: [Int]
  /// The symbols in canonical order: by code length, then by symbol.
  let sortedSymbols: [UInt16]

  init(lengths: some Collection<UInt8>, alphabet: Alphabet) throws(CompressionError) {
    var counts = [Int](repeating: 0, count: DeflateAlphabet.maxCodeLength + 1)
    for length in lengths { counts[Int(length)] += 1 }
    counts[0] = 0
    var unassigned = 1
    for length in 1...DeflateAlphabet.maxCodeLength {
      unassigned = unassigned * 2 - counts[length]
      guard unassigned >= 0 else {
        throw CompressionError(.invalidCodeLengths, message: "A Huffman code is over-subscribed.")
      }
    }
    if unassigned > 0 {
      let codeCount = counts.reduce(0, +)
      let isSingleShortCode = codeCount == 1 && counts[1] == 1
      let isAllowedEmpty = codeCount == 0 && alphabet == .distances
      guard alphabet != .codeLengths, isSingleShortCode || isAllowedEmpty else {
        throw CompressionError(.invalidCodeLengths, message: "A Huffman code is incomplete.")
      }
    }

    var offsets = [Int](repeating: 0, count: DeflateAlphabet.maxCodeLength + 2)
    for length in 1...DeflateAlphabet.maxCodeLength { offsets[length + 1] = offsets[length] + counts[length] }
    var sorted = [UInt16](repeating: 0, count: offsets[DeflateAlphabet.maxCodeLength + 1])
    var table = [UInt32](repeating: 0, count: 1 << Self.primaryBits)
    var nextCode = [Int](repeating: 0, count: DeflateAlphabet.maxCodeLength + 1)
    var code = 0
    for length in 1...DeflateAlphabet.maxCodeLength {
      code = (code + counts[length - 1]) << 1
      nextCode[length] = code
    }
    for (symbol, length) in lengths.enumerated() where length > 0 {
      let length = Int(length)
      sorted[offsets[length]] = UInt16(symbol)
      offsets[length] += 1
      let symbolCode = nextCode[length]
      nextCode[length] += 1
      guard length <= Self.primaryBits else { continue }
      // Codes arrive most significant bit first; the table is indexed by input bits as
      // they are read, so each code is reversed and fills every entry it prefixes.
      var reversed = 0
      for bit in 0..<length { reversed |= ((symbolCode >> bit) & 1) << (length - 1 - bit) }
      let entry = UInt32(symbol) << 4 | UInt32(length)
      for index in stride(from: reversed, to: 1 << Self.primaryBits, by: 1 << length) { table[index] = entry }
    }
    primary = table
    lengthCounts = counts
    sortedSymbols = sorted
  }

  static let fixedLiteralLength = try! HuffmanDecodingTable(
    lengths: DeflateAlphabet.fixedLiteralLengths, alphabet: .literalLengths)
  static let fixedDistance = try! HuffmanDecodingTable(lengths: DeflateAlphabet.fixedDistanceLengths, alphabet: .distances)
}
