import RenkeiTestSupport
import Testing

@testable import RenkeiCompression

/// Every way compressed input can be wrong gets its own error, and nothing is returned.
@Suite struct MalformedInputTests {
  /// A raw DEFLATE stream written bit by bit.
  private func stream(_ build: (inout BitWriter) -> Void) -> [UInt8] {
    var writer = BitWriter(reservingCapacity: 16)
    build(&writer)
    writer.alignToByte()
    return writer.bytes
  }

  private func expectError(_ kind: CompressionError.Kind, deflate bytes: [UInt8], limit: Int = 1_000) {
    #expect(throws: CompressionError.self) { try Deflate.decompress(bytes, limit: limit) }
    do {
      _ = try Deflate.decompress(bytes, limit: limit)
    } catch {
      #expect(error.kind == kind, "\(error)")
    }
  }

  private func expectError(_ kind: CompressionError.Kind, gzip bytes: [UInt8], limit: Int = 1_000_000) {
    do {
      let output = try Gzip.decompress(bytes, limit: limit)
      Issue.record("decoded \(output.count) bytes instead of failing with \(kind)")
    } catch {
      #expect(error.kind == kind, "\(error)")
    }
  }

  /// A dynamic block header whose code-length code gives symbols 0 and `other` one bit
  /// each, followed by the run-length symbols in `runs` (0 or `other`, with extra bits).
  private func dynamicHeader(other: Int, runs: [(symbol: Int, extra: UInt32, extraBits: Int)]) -> [UInt8] {
    stream { writer in
      writer.write(1, count: 1)
      writer.write(2, count: 2)
      writer.write(0, count: 5)  // 257 literal/length codes
      writer.write(0, count: 5)  // 1 distance code
      writer.write(15, count: 4)  // all 19 code-length lengths follow
      for symbol in DeflateAlphabet.codeLengthOrder { writer.write(symbol == 0 || symbol == other ? 1 : 0, count: 3) }
      for run in runs {
        writer.write(run.symbol == 0 ? 0 : 1, count: 1)
        writer.write(run.extra, count: run.extraBits)
      }
    }
  }

  @Test func everyTruncationIsReportedAsTruncated() {
    let whole = Gzip.compress(SampleData.make(.structured, count: 3_000, seed: 1))
    for length in 0..<whole.count {
      expectError(.truncatedInput, gzip: Array(whole.prefix(length)))
    }
  }

  @Test func reservedBlockTypeIsRefused() {
    expectError(.invalidBlockType, deflate: [0x07])
  }

  @Test func storedLengthMustMatchItsComplement() {
    expectError(.storedLengthMismatch, deflate: [0x01, 0x05, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5])
  }

  @Test func overSubscribedCodeLengthCodeIsRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(2, count: 2)
      writer.write(0, count: 5)
      writer.write(0, count: 5)
      writer.write(15, count: 4)
      for _ in 0..<19 { writer.write(1, count: 3) }
    }
    expectError(.invalidCodeLengths, deflate: bytes)
  }

  @Test func incompleteCodeLengthCodeIsRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(2, count: 2)
      writer.write(0, count: 5)
      writer.write(0, count: 5)
      writer.write(0, count: 4)
      for length: UInt32 in [0, 0, 0, 2] { writer.write(length, count: 3) }  // symbol 0 alone, 2 bits
    }
    expectError(.invalidCodeLengths, deflate: bytes)
  }

  @Test func missingEndOfBlockCodeIsRefused() {
    // 258 zero lengths: two runs of 18 (11 + 127 = 138, then 11 + 109 = 120).
    let bytes = dynamicHeader(other: 18, runs: [(18, 127, 7), (18, 109, 7)])
    expectError(.invalidCodeLengths, deflate: bytes)
  }

  @Test func repeatBeforeAnyLengthIsRefused() {
    expectError(.invalidCodeLengths, deflate: dynamicHeader(other: 16, runs: [(16, 0, 2)]))
  }

  @Test func repeatPastTheEndIsRefused() {
    // 138 + 138 zeros overrun the 258 lengths declared.
    expectError(.invalidCodeLengths, deflate: dynamicHeader(other: 18, runs: [(18, 127, 7), (18, 127, 7)]))
  }

  @Test func tooManyLengthCodesAreRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(2, count: 2)
      writer.write(30, count: 5)  // 287 literal/length codes: more than 286
      writer.write(0, count: 5)
      writer.write(0, count: 4)
    }
    expectError(.invalidCodeLengths, deflate: bytes)
  }

  @Test func reservedLengthSymbolIsRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(1, count: 2)
      let code = HuffmanCode.fixedLiteralLength
      writer.write(UInt32(code.reversedCodes[286]), count: Int(code.lengths[286]))
    }
    expectError(.invalidSymbol, deflate: bytes)
  }

  @Test func reservedDistanceSymbolIsRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(1, count: 2)
      let code = HuffmanCode.fixedLiteralLength
      for symbol in [65, 65, 65, 257] { writer.write(UInt32(code.reversedCodes[symbol]), count: Int(code.lengths[symbol])) }
      writer.write(UInt32(HuffmanCode.fixedDistance.reversedCodes[30]), count: 5)
    }
    expectError(.invalidSymbol, deflate: bytes)
  }

  @Test func distanceBeyondTheOutputIsRefused() {
    let bytes = stream { writer in
      writer.write(1, count: 1)
      writer.write(1, count: 2)
      let code = HuffmanCode.fixedLiteralLength
      writer.write(UInt32(code.reversedCodes[65]), count: Int(code.lengths[65]))
      writer.write(UInt32(code.reversedCodes[257]), count: Int(code.lengths[257]))
      writer.write(UInt32(HuffmanCode.fixedDistance.reversedCodes[1]), count: 5)  // distance 2, one byte out
    }
    expectError(.distanceTooFarBack, deflate: bytes)
  }

  @Test func aMatchNeverReachesIntoThePreviousGzipMember() {
    // The second member starts with a match: legal only if members shared a window.
    var second = Gzip.compress([])
    let match = stream { writer in
      writer.write(1, count: 1)
      writer.write(1, count: 2)
      let code = HuffmanCode.fixedLiteralLength
      writer.write(UInt32(code.reversedCodes[257]), count: Int(code.lengths[257]))
      writer.write(UInt32(HuffmanCode.fixedDistance.reversedCodes[0]), count: 5)
      writer.write(UInt32(code.reversedCodes[256]), count: Int(code.lengths[256]))
    }
    second.replaceSubrange(10..<second.count - 8, with: match)
    expectError(.distanceTooFarBack, gzip: Gzip.compress(Array("abc".utf8)) + second)
  }

  @Test func outputPastTheLimitIsRefusedWithoutAllocatingPastIt() throws {
    let bomb = Gzip.compress([UInt8](repeating: 0, count: 10_000_000))
    #expect(bomb.count < 20_000)
    expectError(.outputLimitExceeded, gzip: bomb, limit: 100_000)
    expectError(.outputLimitExceeded, gzip: bomb, limit: 9_999_999)
    #expect(try Gzip.decompress(bomb, limit: 10_000_000).count == 10_000_000)

    let deflate = Deflate.compress([UInt8](repeating: 0, count: 10_000_000))
    deflate.withUnsafeBufferPointer { input in
      var decoder = DeflateDecoder(input: input, limit: 65_536)
      #expect(throws: CompressionError.self) { try decoder.decodeStream() }
      #expect(decoder.capacity <= 65_536)
      #expect(decoder.count <= 65_536)
    }
  }

  @Test func aLimitOfZeroRefusesEvenOneByte() throws {
    expectError(.outputLimitExceeded, gzip: Gzip.compress([7]), limit: 0)
    expectError(.outputLimitExceeded, deflate: Deflate.compress([7]), limit: 0)
    #expect(try Gzip.decompress(Gzip.compress([]), limit: 0) == [])
  }

  /// A dynamic block whose literal/length code gives 'a' one bit and each symbol of `twoBitSymbols`
  /// two bits (or, when there are none, end-of-block one bit), and whose single distance code has
  /// `distanceLength` bits, followed by `data` (Huffman codes, written first bit first).
  private func blockWithOneDistanceCode(twoBitSymbols: [Int], distanceLength: Int, data: [Int]) -> [UInt8] {
    var lengths = [Int](repeating: 0, count: 257 + max(0, (twoBitSymbols.max() ?? 256) - 256))
    lengths[97] = 1
    if twoBitSymbols.isEmpty { lengths[256] = 1 } else { for symbol in twoBitSymbols { lengths[symbol] = 2 } }
    lengths.append(distanceLength)
    // The code-length code: 0, 1, 2 and 18 (a run of 11…138 zeros) two bits each, i.e. 00, 01, 10, 11.
    let codeLengthCode = [0: 0b00, 1: 0b10, 2: 0b01, 18: 0b11]  // bit-reversed, as written
    return stream { writer in
      writer.write(1, count: 1)
      writer.write(2, count: 2)
      writer.write(UInt32(lengths.count - 1 - 257), count: 5)
      writer.write(0, count: 5)  // 1 distance code
      writer.write(15, count: 4)  // all 19 code-length lengths follow
      for symbol in DeflateAlphabet.codeLengthOrder { writer.write(codeLengthCode[symbol] == nil ? 0 : 2, count: 3) }
      var index = 0
      while index < lengths.count {
        var run = 0
        while lengths[index] == 0 && index + run < lengths.count && lengths[index + run] == 0 && run < 138 { run += 1 }
        if run >= 11 {
          writer.write(UInt32(codeLengthCode[18]!), count: 2)
          writer.write(UInt32(run - 11), count: 7)
          index += run
        } else {
          writer.write(UInt32(codeLengthCode[lengths[index]]!), count: 2)
          index += 1
        }
      }
      for bit in data { writer.write(UInt32(bit), count: 1) }
    }
  }

  @Test func aSingleOneBitDistanceCodeIsLegal() throws {
    // Literal and length codes: 'a' = 0, end of block (256) = 10, length 3 (257) = 11; distance 1 = 0.
    let bytes = blockWithOneDistanceCode(twoBitSymbols: [256, 257], distanceLength: 1, data: [0, 1, 1, 0, 1, 0])
    #expect(try Deflate.decompress(bytes, limit: 100) == Array("aaaa".utf8))
  }

  @Test func noDistanceCodesAtAllIsLegalForLiteralsOnly() throws {
    // 'a' = 0, end of block = 1; the one distance code has length 0, so no match may occur.
    let bytes = blockWithOneDistanceCode(twoBitSymbols: [], distanceLength: 0, data: [0, 0, 1])
    #expect(try Deflate.decompress(bytes, limit: 100) == Array("aa".utf8))
  }

  /// Valid streams with bytes flipped at random: every result is a value within the limit
  /// or a CompressionError, never a trap.
  @Test func mutatedStreamsNeverTrap() throws {
    var generator = SplitMix64(seed: 99)
    let seeds = [
      Gzip.compress(SampleData.make(.structured, count: 3_000, seed: 1)),
      Gzip.compress(SampleData.make(.random, count: 300, seed: 2)),
      Gzip.compress(SampleData.make(.repetitive, count: 5_000, seed: 3)),
      Gzip.compress([]),
    ]
    for round in 0..<60_000 {
      var bytes = seeds[round % seeds.count]
      for _ in 0...generator.below(4) {
        let index = 10 + generator.below(max(1, bytes.count - 10))
        if index < bytes.count { bytes[index] ^= UInt8(truncatingIfNeeded: generator.next() | 1) }
      }
      if let output = try? Gzip.decompress(bytes, limit: 10_000) { #expect(output.count <= 10_000) }
      if let output = try? Deflate.decompress(Array(bytes.dropFirst(10)), limit: 10_000) { #expect(output.count <= 10_000) }
    }
  }

  /// Random bytes read as a final dynamic block: table building on junk refuses it or decodes
  /// within the limit.
  @Test func randomDynamicHeadersNeverTrap() {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<100_000 {
      var bytes = (0..<generator.below(200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      if !bytes.isEmpty { bytes[0] = (bytes[0] & ~0x07) | 0x05 }  // final, dynamic
      if let output = try? Deflate.decompress(bytes, limit: 100_000) { #expect(output.count <= 100_000) }
    }
  }

  @Test func notGzipIsRefused() {
    expectError(.notGzip, gzip: Array("{\"changes\":[]}".utf8))
  }

  @Test func otherMethodsAreRefused() {
    var bytes = Gzip.compress(Array("hello".utf8))
    bytes[2] = 7
    expectError(.unsupportedMethod, gzip: bytes)
  }

  @Test func reservedFlagsAreRefused() {
    var bytes = Gzip.compress(Array("hello".utf8))
    bytes[3] = 0x20
    expectError(.reservedFlags, gzip: bytes)
  }

  @Test func optionalHeaderFieldsAreSkippedAndTheHeaderChecksumChecked() throws {
    let plain = Gzip.compress(Array("hello".utf8))
    // FEXTRA (2 bytes of data), FNAME, FCOMMENT and FHCRC.
    var header: [UInt8] = [0x1F, 0x8B, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3]
    header += [2, 0, 0xAB, 0xCD] + Array("name.json".utf8) + [0] + Array("a comment".utf8) + [0]
    let headerCRC = CRC32.checksum(header)
    let good = header + [UInt8(headerCRC & 0xFF), UInt8(headerCRC >> 8 & 0xFF)] + plain[10...]
    #expect(try Gzip.decompress(good, limit: 100) == Array("hello".utf8))
    let bad = header + [UInt8(headerCRC & 0xFF) ^ 1, UInt8(headerCRC >> 8 & 0xFF)] + plain[10...]
    expectError(.headerChecksumMismatch, gzip: bad)
  }

  @Test func badChecksumIsRefused() {
    var bytes = Gzip.compress(Array("hello".utf8))
    bytes[bytes.count - 8] ^= 0x01
    expectError(.checksumMismatch, gzip: bytes)
  }

  @Test func badLengthIsRefused() {
    var bytes = Gzip.compress(Array("hello".utf8))
    bytes[bytes.count - 4] ^= 0x01
    expectError(.lengthMismatch, gzip: bytes)
  }

  @Test func trailingGarbageIsRefused() {
    expectError(.trailingData, gzip: Gzip.compress(Array("hello".utf8)) + [0])
    expectError(.trailingData, gzip: Gzip.compress(Array("hello".utf8)) + [0x1F, 0x00, 0x00])
    expectError(.trailingData, deflate: Deflate.compress(Array("hello".utf8)) + [0])
  }

  @Test func concatenatedMembersAreJoined() throws {
    let joined = Gzip.compress(Array("hello, ".utf8)) + Gzip.compress(Array("world".utf8))
    #expect(try Gzip.decompress(joined, limit: 12) == Array("hello, world".utf8))
    expectError(.outputLimitExceeded, gzip: joined, limit: 11)
  }
}
