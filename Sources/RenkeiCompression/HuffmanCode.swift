/// A canonical Huffman code for the encoder (RFC 1951 §3.2.2): each symbol's code length,
/// and its code bit-reversed, ready for ``BitWriter`` to send most significant bit first.
struct HuffmanCode {
  let lengths: [UInt8]
  let reversedCodes: [UInt16]

  /// The canonical code with the given lengths (0 = symbol unused).
  init(lengths: [UInt8]) {
    self.lengths = lengths
    var lengthCounts = [Int](repeating: 0, count: DeflateAlphabet.maxCodeLength + 1)
    for length in lengths where length > 0 { lengthCounts[Int(length)] += 1 }
    var nextCode = [Int](repeating: 0, count: DeflateAlphabet.maxCodeLength + 2)
    var code = 0
    for length in 1...DeflateAlphabet.maxCodeLength {
      code = (code + lengthCounts[length - 1]) << 1
      nextCode[length] = code
    }
    var codes = [UInt16](repeating: 0, count: lengths.count)
    for (symbol, length) in lengths.enumerated() where length > 0 {
      codes[symbol] = Self.reversed(nextCode[Int(length)], bitCount: Int(length))
      nextCode[Int(length)] += 1
    }
    reversedCodes = codes
  }

  /// The optimal code for `frequencies` whose codes are at most `maxLength` bits.
  ///
  /// At least two symbols get a code even when fewer occur: a one-symbol code is
  /// incomplete, which strict decoders (Renkei's own included) refuse.
  init(frequencies: [Int], maxLength: Int) {
    var weights = frequencies
    var used = weights.indices.filter { weights[$0] > 0 }.count
    for index in weights.indices where used < 2 && weights[index] == 0 {
      weights[index] = 1
      used += 1
    }
    while true {
      let lengths = Self.unlimitedLengths(weights)
      if lengths.allSatisfy({ Int($0) <= maxLength }) {
        self.init(lengths: lengths)
        return
      }
      // Halving flattens the tree; it ends at worst with all weights 1, a balanced tree
      // of ⌈log₂ 286⌉ = 9 levels, within every limit DEFLATE sets. Rare inputs need it,
      // and the code it gives is at most a little worse than an optimal limited one.
      weights = weights.map { $0 == 0 ? 0 : ($0 + 1) / 2 }
    }
  }

  /// Huffman's algorithm with two queues (leaves sorted by weight, internal nodes in the
  /// order made, which is also by weight): the depth of each leaf is its code length.
  private static func unlimitedLengths(_ weights: [Int]) -> [UInt8] {
    let leaves = weights.indices.filter { weights[$0] > 0 }.sorted { (weights[$0], $0) < (weights[$1], $1) }
    var nodeWeights = leaves.map { weights[$0] }
    var parents = [Int](repeating: -1, count: 2 * leaves.count)
    var nextLeaf = 0
    var nextInternal = leaves.count
    func takeLightest() -> Int {
      let takeLeaf =
        nextLeaf < leaves.count && (nextInternal >= nodeWeights.count || nodeWeights[nextLeaf] <= nodeWeights[nextInternal])
      if takeLeaf {
        nextLeaf += 1
        return nextLeaf - 1
      }
      nextInternal += 1
      return nextInternal - 1
    }
    while nodeWeights.count < 2 * leaves.count - 1 {
      let first = takeLightest()
      let second = takeLightest()
      parents[first] = nodeWeights.count
      parents[second] = nodeWeights.count
      nodeWeights.append(nodeWeights[first] + nodeWeights[second])
    }
    // Parents are always made after their children, so one backward pass sets depths.
    var depths = [Int](repeating: 0, count: nodeWeights.count)
    for node in stride(from: nodeWeights.count - 2, through: 0, by: -1) {
      depths[node] = depths[parents[node]] + 1
    }
    var lengths = [UInt8](repeating: 0, count: weights.count)
    for (leaf, symbol) in leaves.enumerated() { lengths[symbol] = UInt8(depths[leaf]) }
    return lengths
  }

  private static func reversed(_ code: Int, bitCount: Int) -> UInt16 {
    var result = 0
    var rest = code
    for _ in 0..<bitCount {
      result = (result << 1) | (rest & 1)
      rest >>= 1
    }
    return UInt16(result)
  }

  /// The fixed literal/length code (§3.2.6).
  static let fixedLiteralLength = HuffmanCode(lengths: DeflateAlphabet.fixedLiteralLengths)
  /// The fixed distance code.
  static let fixedDistance = HuffmanCode(lengths: DeflateAlphabet.fixedDistanceLengths)
}
