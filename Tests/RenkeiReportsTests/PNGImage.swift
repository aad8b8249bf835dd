import Foundation

/// Just enough of PNG (and the DEFLATE inside it, RFC 1950/1951) to look at a screenshot's
/// pixels: 8-bit greyscale, RGB or RGBA, not interlaced — what Chromium writes. Test-only;
/// written here because Foundation on Linux has no image decoding and the project takes
/// no packages.
struct PNGImage {
  let width: Int
  let height: Int
  /// Red, green, blue, alpha for every pixel, row by row.
  let rgba: [UInt8]

  struct DecodeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count > 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
      throw DecodeError("not a PNG file")
    }
    var offset = 8
    var header: [UInt8] = []
    var compressed: [UInt8] = []
    func bigEndian(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
    while offset + 8 <= bytes.count {
      let length = bigEndian(offset)
      let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
      guard offset + 12 + length <= bytes.count else { throw DecodeError("chunk \(type) runs past the end") }
      let body = bytes[offset + 8..<offset + 8 + length]
      switch type {
      case "IHDR": header = Array(body)
      case "IDAT": compressed += body
      default: break
      }
      offset += 12 + length
      if type == "IEND" { break }
    }
    guard header.count == 13 else { throw DecodeError("no IHDR chunk") }
    width = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    height = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
    let bitDepth = header[8]
    let colourType = header[9]
    guard bitDepth == 8, header[12] == 0 else { throw DecodeError("only 8-bit, non-interlaced images are read") }
    let channels: Int
    switch colourType {
    case 0: channels = 1
    case 2: channels = 3
    case 4: channels = 2
    case 6: channels = 4
    default: throw DecodeError("colour type \(colourType) is not read")
    }
    guard compressed.count > 2 else { throw DecodeError("no image data") }
    var inflater = Inflater(input: Array(compressed.dropFirst(2)))
    let raw = try inflater.inflate()
    let stride = width * channels
    guard raw.count >= height * (stride + 1) else { throw DecodeError("image data is short: \(raw.count) bytes") }

    // Undo the per-row filters (PNG spec, section 9).
    var pixels = [UInt8](repeating: 0, count: height * stride)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      let source = row * (stride + 1) + 1
      let target = row * stride
      for column in 0..<stride {
        let x = raw[source + column]
        let a = column >= channels ? Int(pixels[target + column - channels]) : 0
        let b = row > 0 ? Int(pixels[target - stride + column]) : 0
        let c = row > 0 && column >= channels ? Int(pixels[target - stride + column - channels]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: throw DecodeError("unknown filter \(filter) on row \(row)")
        }
        pixels[target + column] = UInt8(truncatingIfNeeded: Int(x) + predictor)
      }
    }
    var rgba = [UInt8](repeating: 255, count: width * height * 4)
    for index in 0..<(width * height) {
      let pixel = index * channels
      switch channels {
      case 1, 2:
        rgba[index * 4] = pixels[pixel]
        rgba[index * 4 + 1] = pixels[pixel]
        rgba[index * 4 + 2] = pixels[pixel]
        if channels == 2 { rgba[index * 4 + 3] = pixels[pixel + 1] }
      default:
        rgba[index * 4] = pixels[pixel]
        rgba[index * 4 + 1] = pixels[pixel + 1]
        rgba[index * 4 + 2] = pixels[pixel + 2]
        if channels == 4 { rgba[index * 4 + 3] = pixels[pixel + 3] }
      }
    }
    self.rgba = rgba
  }

  /// How much of the image is drawn: the share of pixels that differ from the top-left one
  /// (the page's background), and how many colours there are with each channel reduced to
  /// 4 bits.
  var ink: (fraction: Double, colours: Int) {
    rgba.withUnsafeBytes { raw in
      let pixels = raw.bindMemory(to: UInt32.self)
      let background = pixels[0]
      var inked = 0
      var seen = [Bool](repeating: false, count: 4096)
      for pixel in pixels {
        if pixel != background { inked += 1 }
        // Byte order does not matter: only whether two pixels are alike.
        let bytes = (pixel >> 4 & 0xF, pixel >> 12 & 0xF, pixel >> 20 & 0xF)
        seen[Int(bytes.0 << 8 | bytes.1 << 4 | bytes.2)] = true
      }
      return (Double(inked) / Double(pixels.count), seen.filter { $0 }.count)
    }
  }
}

/// A DEFLATE decoder after Mark Adler's puff.c: stored, fixed and dynamic Huffman blocks.
struct Inflater {
  private let input: [UInt8]
  private var position = 0
  private var bitBuffer = 0
  private var bitCount = 0
  private var output: [UInt8] = []

  init(input: [UInt8]) { self.input = input }

  private struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: [Int]) {
      for length in lengths { counts[length] += 1 }
      counts[0] = 0
      var offsets = [Int](repeating: 0, count: 16)
      for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
      symbols = [Int](repeating: 0, count: lengths.count)
      for (symbol, length) in lengths.enumerated() where length != 0 {
        symbols[offsets[length]] = symbol
        offsets[length] += 1
      }
    }
  }

  private mutating func bits(_ count: Int) throws -> Int {
    while bitCount < count {
      guard position < input.count else { throw PNGImage.DecodeError("compressed data ends early") }
      bitBuffer |= Int(input[position]) << bitCount
      position += 1
      bitCount += 8
    }
    let value = bitBuffer & ((1 << count) - 1)
    bitBuffer >>= count
    bitCount -= count
    return value
  }

  private mutating func decode(_ huffman: Huffman) throws -> Int {
    var code = 0
    var first = 0
    var index = 0
    for length in 1...15 {
      code |= try bits(1)
      let count = huffman.counts[length]
      if code - count < first { return huffman.symbols[index + (code - first)] }
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw PNGImage.DecodeError("bad Huffman code")
  }

  private static let lengthBase = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  ]
  private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  private static let distanceBase = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385,
    24577,
  ]
  private static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

  mutating func inflate() throws -> [UInt8] {
    var last = 0
    repeat {
      last = try bits(1)
      switch try bits(2) {
      case 0: try stored()
      case 1:
        let fixedLengths =
          [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
          + [Int](repeating: 8, count: 8)
        try codes(Huffman(lengths: fixedLengths), Huffman(lengths: [Int](repeating: 5, count: 30)))
      case 2: try dynamic()
      default: throw PNGImage.DecodeError("bad block type")
      }
    } while last == 0
    return output
  }

  private mutating func stored() throws {
    bitBuffer = 0
    bitCount = 0
    guard position + 4 <= input.count else { throw PNGImage.DecodeError("stored block ends early") }
    let length = Int(input[position]) | Int(input[position + 1]) << 8
    position += 4
    guard position + length <= input.count else { throw PNGImage.DecodeError("stored block ends early") }
    output += input[position..<position + length]
    position += length
  }

  private mutating func dynamic() throws {
    let literalCount = try bits(5) + 257
    let distanceCount = try bits(5) + 1
    let codeCount = try bits(4) + 4
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var codeLengths = [Int](repeating: 0, count: 19)
    for index in 0..<codeCount { codeLengths[order[index]] = try bits(3) }
    let lengthCode = Huffman(lengths: codeLengths)
    var lengths: [Int] = []
    while lengths.count < literalCount + distanceCount {
      let symbol = try decode(lengthCode)
      switch symbol {
      case 0..<16: lengths.append(symbol)
      case 16:
        guard let previous = lengths.last else { throw PNGImage.DecodeError("repeat with no previous length") }
        lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
      case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
      default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
      }
    }
    try codes(
      Huffman(lengths: Array(lengths[0..<literalCount])), Huffman(lengths: Array(lengths[literalCount..<literalCount + distanceCount])))
  }

  private mutating func codes(_ literals: Huffman, _ distances: Huffman) throws {
    while true {
      let symbol = try decode(literals)
      if symbol < 256 {
        output.append(UInt8(symbol))
      } else if symbol == 256 {
        return
      } else {
        let index = symbol - 257
        guard index < 29 else { throw PNGImage.DecodeError("bad length symbol") }
        let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
        let distanceSymbol = try decode(distances)
        guard distanceSymbol < 30 else { throw PNGImage.DecodeError("bad distance symbol") }
        let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
        guard distance <= output.count else { throw PNGImage.DecodeError("distance too far back") }
        let start = output.count - distance
        for offset in 0..<length { output.append(output[start + offset]) }
      }
    }
  }
}
