/// The codes of a dynamic Huffman block and the header that describes them (RFC 1951
/// §3.2.7): the code lengths, run-length encoded, themselves Huffman coded.
struct DynamicBlockHeader {
  let literalLength: HuffmanCode
  let distance: HuffmanCode
  private let codeLengthCode: HuffmanCode
  /// Run-length symbols 0…18, each with the value of its extra bits.
  private let runs: [(symbol: Int, extra: UInt32)]
  private let literalLengthCount: Int
  private let distanceCount: Int
  private let codeLengthCount: Int

  init(literalLengthFrequencies: [Int], distanceFrequencies: [Int]) {
    literalLength = HuffmanCode(frequencies: literalLengthFrequencies, maxLength: DeflateAlphabet.maxCodeLength)
    distance = HuffmanCode(frequencies: distanceFrequencies, maxLength: DeflateAlphabet.maxCodeLength)
    literalLengthCount = max(257, (literalLength.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
    distanceCount = max(1, (distance.lengths.lastIndex { $0 > 0 } ?? 0) + 1)
    runs = Self.runLengthEncode(Array(literalLength.lengths[..<literalLengthCount] + distance.lengths[..<distanceCount]))
    var frequencies = [Int](repeating: 0, count: 19)
    for run in runs { frequencies[run.symbol] += 1 }
    let codeLengthCode = HuffmanCode(frequencies: frequencies, maxLength: DeflateAlphabet.maxCodeLengthCodeLength)
    self.codeLengthCode = codeLengthCode
    codeLengthCount = max(4, (DeflateAlphabet.codeLengthOrder.lastIndex { codeLengthCode.lengths[$0] > 0 } ?? 0) + 1)
  }

  /// The header's size in bits, after the 3-bit block header.
  var bitCount: Int {
    var bits = 5 + 5 + 4 + 3 * codeLengthCount
    for run in runs { bits += Int(codeLengthCode.lengths[run.symbol]) + Self.extraBits(of: run.symbol) }
    return bits
  }

  func write(to writer: inout BitWriter) {
    writer.write(UInt32(literalLengthCount - 257), count: 5)
    writer.write(UInt32(distanceCount - 1), count: 5)
    writer.write(UInt32(codeLengthCount - 4), count: 4)
    for symbol in DeflateAlphabet.codeLengthOrder.prefix(codeLengthCount) {
      writer.write(UInt32(codeLengthCode.lengths[symbol]), count: 3)
    }
    for run in runs {
      writer.write(UInt32(codeLengthCode.reversedCodes[run.symbol]), count: Int(codeLengthCode.lengths[run.symbol]))
      writer.write(run.extra, count: Self.extraBits(of: run.symbol))
    }
  }

  private static func extraBits(of symbol: Int) -> Int {
    switch symbol {
    case 16: 2
    case 17: 3
    case 18: 7
    default: 0
    }
  }

  /// Symbol 16 repeats the previous length 3–6 times, 17 and 18 write 3–10 and 11–138
  /// zeros: long runs of unused symbols are what makes the header small.
  private static func runLengthEncode(_ lengths: [UInt8]) -> [(symbol: Int, extra: UInt32)] {
    var runs: [(symbol: Int, extra: UInt32)] = []
    var index = 0
    while index < lengths.count {
      let length = lengths[index]
      var runEnd = index + 1
      while runEnd < lengths.count && lengths[runEnd] == length { runEnd += 1 }
      var remaining = runEnd - index
      if length == 0 {
        while remaining >= 11 {
          let count = min(remaining, 138)
          runs.append((18, UInt32(count - 11)))
          remaining -= count
        }
        if remaining >= 3 {
          runs.append((17, UInt32(remaining - 3)))
          remaining = 0
        }
      } else {
        runs.append((Int(length), 0))
        remaining -= 1
        while remaining >= 3 {
          let count = min(remaining, 6)
          runs.append((16, UInt32(count - 3)))
          remaining -= count
        }
      }
      for _ in 0..<remaining { runs.append((Int(length), 0)) }
      index = runEnd
    }
    return runs
  }
}
