import RenkeiTestSupport
import Testing

@testable import RenkeiCompression

@Suite struct GzipRoundTripTests {
  static let sizes = [0, 1, 2, 3, 4, 257, 65_535, 65_536, 100_000, 400_000]

  @Test(arguments: SampleData.Shape.allCases, sizes)
  func gzipRoundTrips(shape: SampleData.Shape, size: Int) throws {
    let input = SampleData.make(shape, count: size, seed: UInt64(size) &* 31 &+ 7)
    let compressed = Gzip.compress(input)
    #expect(try Gzip.decompress(compressed, limit: input.count) == input)
  }

  @Test(arguments: SampleData.Shape.allCases)
  func deflateRoundTripsOverManySeeds(shape: SampleData.Shape) throws {
    for seed in UInt64(0)..<40 {
      var generator = SplitMix64(seed: seed)
      let input = SampleData.make(shape, count: generator.below(5_000), seed: seed)
      #expect(try Deflate.decompress(Deflate.compress(input), limit: input.count) == input, "seed \(seed)")
    }
  }

  @Test func emptyInputIsATinyValidMember() throws {
    let compressed = Gzip.compress([])
    // 10-byte header, an empty fixed block (2 bytes), 8-byte trailer.
    #expect(compressed.count == 20)
    #expect(try Gzip.decompress(compressed, limit: 0) == [])
  }

  @Test func oneByteRoundTrips() throws {
    for byte in [UInt8(0), 0x41, 0xFF] {
      #expect(try Gzip.decompress(Gzip.compress([byte]), limit: 1) == [byte])
    }
  }

  @Test func repetitiveInputShrinksByFarMoreThanTenTimes() throws {
    let input = SampleData.make(.repetitive, count: 1_000_000, seed: 3)
    let compressed = Gzip.compress(input)
    #expect(compressed.count < input.count / 100)
    #expect(try Gzip.decompress(compressed, limit: input.count) == input)
  }

  @Test func structuredJSONShrinksSeveralTimes() throws {
    let input = SampleData.make(.structured, count: 200_000, seed: 5)
    let compressed = Gzip.compress(input)
    #expect(compressed.count * 4 < input.count, "\(compressed.count) of \(input.count)")
  }

  @Test func incompressibleInputGrowsOnlyByTheFraming() throws {
    let input = SampleData.make(.random, count: 200_000, seed: 9)
    let compressed = Gzip.compress(input)
    // Each block of up to 16 384 symbols is stored at a cost of 5 bytes; the gzip frame costs 18.
    let blocks = input.count / DeflateEncoder.symbolsPerBlock + 1
    #expect(compressed.count <= input.count + 5 * blocks + 18)
    #expect(try Gzip.decompress(compressed, limit: input.count) == input)
  }

  @Test func matchesAtTheFullWindowDistanceRoundTrip() throws {
    // A block of random bytes repeated exactly 32 768 bytes later: the farthest a
    // match may reach.
    let block = SampleData.make(.random, count: 32_768, seed: 11)
    let input = block + block + block.prefix(1_000)
    let compressed = Deflate.compress(input)
    #expect(compressed.count < 34_000)
    #expect(try Deflate.decompress(compressed, limit: input.count) == input)
  }

  @Test func matchesOfTheLongestLengthAndAtBlockEndsRoundTrip() throws {
    // Long literal runs, each followed by a run of one byte: matches of 258 and more, some
    // of them where a block of 16 384 symbols ends.
    var generator = SplitMix64(seed: 5)
    var input: [UInt8] = []
    while input.count < 600_000 {
      let literals = (0..<generator.below(40_000)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      input += literals + [UInt8](repeating: UInt8(generator.below(256)), count: 258 + generator.below(600))
    }
    #expect(try Gzip.decompress(Gzip.compress(input), limit: input.count) == input)
  }

  @Test func aLongRunOfLiteralsIsCutIntoBlocks() throws {
    // Random bytes in which no three-byte sequence occurs twice: no match at all, so every
    // symbol is a literal, and incompressible, so every block is stored and easy to walk.
    var generator = SplitMix64(seed: 12)
    var seen = Set<Int>()
    var input: [UInt8] = [1, 2]
    while input.count < 200_000 {
      let byte = UInt8(truncatingIfNeeded: generator.next())
      let triple = Int(input[input.count - 2]) << 16 | Int(input[input.count - 1]) << 8 | Int(byte)
      if seen.insert(triple).inserted { input.append(byte) }
    }
    let compressed = Deflate.compress(input)
    var storedLengths: [Int] = []
    var position = 0
    while position < compressed.count {
      let header = compressed[position]
      try #require(header >> 1 & 3 == 0, "block \(storedLengths.count) is not stored")
      let length = Int(compressed[position + 1]) | Int(compressed[position + 2]) << 8
      storedLengths.append(length)
      position += 5 + length
      if header & 1 == 1 { break }
    }
    #expect(position == compressed.count)
    #expect(storedLengths.reduce(0, +) == input.count)
    #expect(storedLengths.allSatisfy { $0 <= DeflateEncoder.symbolsPerBlock }, "\(storedLengths)")
    #expect(try Deflate.decompress(compressed, limit: input.count) == input)
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([]) == 0)
    var split = CRC32()
    split.update(Array("1234".utf8))
    split.update(Array("56789".utf8))
    #expect(split.value == 0xCBF4_3926)
  }

  @Test func skewedFrequenciesStillGiveCodesWithinTheLimit() {
    // Fibonacci weights make the unlimited Huffman tree as deep as there are symbols.
    var weights = [1, 1]
    while weights.count < 30 { weights.append(weights[weights.count - 1] + weights[weights.count - 2]) }
    let code = HuffmanCode(frequencies: weights, maxLength: 15)
    #expect(code.lengths.allSatisfy { $0 >= 1 && $0 <= 15 })
    // Complete: the Kraft sum is exactly 1.
    #expect(code.lengths.reduce(0) { $0 + (1 << (15 - Int($1))) } == 1 << 15)
  }

  @Test func aSingleUsedSymbolStillGetsACompleteCode() {
    let code = HuffmanCode(frequencies: [0, 0, 5, 0], maxLength: 15)
    #expect(code.lengths.filter { $0 > 0 }.count == 2)
    #expect(code.lengths.reduce(0) { $0 + ($1 > 0 ? 1 << (15 - Int($1)) : 0) } == 1 << 15)
  }
}
