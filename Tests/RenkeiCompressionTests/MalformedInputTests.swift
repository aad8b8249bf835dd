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
