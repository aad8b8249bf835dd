/// The fixed parts of the DEFLATE format (RFC 1951 §3.2.5–3.2.7) that the encoder and the
/// decoder share: what the length and distance symbols stand for, and the fixed codes.
enum DeflateAlphabet {
  /// The end-of-block symbol of the literal/length alphabet.
  static let endOfBlock = 256
  /// Literal/length symbols a dynamic block may declare (286 and 287 are reserved).
  static let literalLengthCount = 286
  /// Distance symbols a dynamic block may declare (30 and 31 are reserved).
  static let distanceCount = 30
  static let minMatchLength = 3
  static let maxMatchLength = 258
  /// How far back a match may reach: the 32 KiB window.
  static let windowSize = 32_768
  /// The longest code the literal/length and distance alphabets allow.
  static let maxCodeLength = 15
  /// The longest code the code-length alphabet allows.
  static let maxCodeLengthCodeLength = 7

  /// The shortest length of each length symbol 257…285, and its count of extra bits.
  static let lengthBase: [Int] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  ]
  static let lengthExtraBits: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]

  /// The shortest distance of each distance symbol 0…29, and its count of extra bits.
  static let distanceBase: [Int] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
  ]
  static let distanceExtraBits: [Int] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ]

  /// The order a dynamic block header lists the code-length code's lengths in: the
  /// usually unused lengths last, so that trailing zeros can be left out.
  static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

  /// The fixed literal/length code's lengths, all 288 symbols (§3.2.6).
  static let fixedLiteralLengths: [UInt8] =
    Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112) + Array(repeating: 7, count: 24)
    + Array(repeating: 8, count: 8)
  /// The fixed distance code's lengths: 32 symbols of 5 bits, two of them reserved.
  static let fixedDistanceLengths: [UInt8] = Array(repeating: 5, count: 32)

  /// The length symbol's index (0 for symbol 257) for every match length 0…258, so the
  /// encoder looks it up instead of searching the bases.
  static let lengthIndex: [UInt8] = (0...maxMatchLength).map { length in
    UInt8(lengthBase.lastIndex { $0 <= max(length, minMatchLength) }!)
  }

  /// The distance symbol for every distance 0…32768 (entry 0 unused); 32 KiB of table
  /// buys a constant-time look-up per match.
  static let distanceSymbol: [UInt8] = {
    var table = [UInt8](repeating: 0, count: windowSize + 1)
    for symbol in 0..<distanceCount {
      let end = symbol + 1 < distanceCount ? distanceBase[symbol + 1] : windowSize + 1
      for distance in distanceBase[symbol]..<end { table[distance] = UInt8(symbol) }
    }
    return table
  }()
}
