import RenkeiCore
import RenkeiTestSupport
import Testing

/// SHA-256 against FIPS 180-4's examples and digests computed with `sha256sum`, HMAC-SHA-256
/// against RFC 4231, and the constant-time comparison.
@Suite struct CryptoTests {
  // MARK: SHA-256

  /// The example messages published with FIPS 180-4 (NIST CSRC "SHA256.pdf") and the
  /// empty message.
  static let nistVectors: [(message: String, digest: String)] = [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ]

  @Test(arguments: nistVectors)
  func nistExampleMessages(message: String, digest: String) {
    #expect(SHA256.hexDigest(of: message) == digest)
    #expect(SHA256.hash(message.utf8) == bytes(fromHex: digest))
  }

  @Test func theNistExamplesAreTheLengthsTheStandardNames() {
    #expect(Self.nistVectors.map { $0.message.utf8.count * 8 } == [0, 24, 448, 896])
  }

  @Test func oneMillionRepetitionsOfA() {
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
    #expect(SHA256.hexDigest(of: message) == expected)
    // The same message through the byte-by-byte path for sequences without contiguous storage.
    #expect(SHA256.hexDigest(of: repeatElement(UInt8(ascii: "a"), count: 1_000_000)) == expected)
  }

  /// Messages of bytes 0, 1, 2, … of each length, hashed with
  /// `python3 -c "import sys; sys.stdout.buffer.write(bytes(range(N)))" | sha256sum`.
  /// 55 is the longest message whose padding fits in one block, 56 the shortest that needs
  /// a second; 63/64/65 straddle a full block, 119/120 the same two cases one block later.
  static let boundaryVectors: [(length: Int, digest: String)] = [
    (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
    (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
    (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
    (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
    (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
    (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
    (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
  ]

  @Test(arguments: boundaryVectors)
  func paddingBoundaryLengthsMatchSha256sum(length: Int, digest: String) {
    let message = (0..<length).map { UInt8($0) }
    #expect(SHA256.hexDigest(of: message) == digest)
    var byteByByte = SHA256()
    for byte in message { byteByByte.update([byte]) }
    #expect(byteByByte.finalize() == bytes(fromHex: digest))
  }

  @Test func everyLengthUpToTwoBlocksHashesTheSameWhereverTheMessageIsSplit() {
    var seen: Set<[UInt8]> = []
    for length in 0...130 {
      let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      let oneShot = SHA256.hash(message)
      #expect(oneShot.count == SHA256.digestByteCount)
      seen.insert(oneShot)
      for split in 0...length {
        var hasher = SHA256()
        hasher.update(message[..<split])
        hasher.update(message[split...])
        #expect(hasher.finalize() == oneShot, "length \(length) split at \(split)")
      }
    }
    #expect(seen.count == 131)
  }

  @Test(arguments: 1...25 as ClosedRange<UInt64>)
  func incrementalHashingInRandomChunksEqualsOneShot(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    let length = Int(random.next() % 5_000)
    let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    var hasher = SHA256()
    var offset = 0
    while offset < message.count {
      // Chunk sizes from 0 (an empty update) to a little over two blocks.
      let size = min(Int(random.next() % 140), message.count - offset)
      if random.next() % 2 == 0 {
        hasher.update(message[offset..<offset + size])
      } else {
        hasher.update(message[offset..<offset + size].lazy.map { $0 })
      }
      offset += size
    }
    #expect(hasher.finalize() == SHA256.hash(message))
  }

  @Test func finalizeLeavesTheHasherUsableAndCopiesFork() {
    var hasher = SHA256()
    hasher.update("ab".utf8)
    let fork = hasher
    #expect(hasher.finalize() == SHA256.hash("ab".utf8))
    hasher.update("c".utf8)
    #expect(hasher.finalize() == SHA256.hash("abc".utf8))
    #expect(fork.finalize() == SHA256.hash("ab".utf8))
  }

  @Test func hexDigestIsLowercaseAndHashesUTF8() {
    let digest = SHA256.hexDigest(of: "認知")
    #expect(digest == SHA256.hexDigest(of: Array("認知".utf8)))
    #expect(digest.count == 64)
    #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
  }

  // MARK: HMAC-SHA-256

  struct HMACVector: Sendable, CustomTestStringConvertible {
    let number: Int
    let key: [UInt8]
    let message: [UInt8]
    let tag: String
    var testDescription: String { "RFC 4231 test case \(number)" }
  }

  /// RFC 4231 §4.2–4.8. Case 5's tag is truncated to 128 bits, as the RFC gives it.
  static let rfc4231: [HMACVector] = [
    HMACVector(
      number: 1, key: Array(repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
      tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    HMACVector(
      number: 2, key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
      tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    HMACVector(
      number: 3, key: Array(repeating: 0xaa, count: 20), message: Array(repeating: 0xdd, count: 50),
      tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    HMACVector(
      number: 4, key: Array(1...25), message: Array(repeating: 0xcd, count: 50),
      tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    HMACVector(
      number: 5, key: Array(repeating: 0x0c, count: 20), message: Array("Test With Truncation".utf8),
      tag: "a3b6167473100ee06e0c796c2955552b"),
    HMACVector(
      number: 6, key: Array(repeating: 0xaa, count: 131),
      message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
      tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    HMACVector(
      number: 7, key: Array(repeating: 0xaa, count: 131),
      message: Array(
        ("This is a test using a larger than block-size key and a larger than block-size data. "
          + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
      tag: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
  ]

  @Test(arguments: rfc4231)
  func rfc4231TestCases(vector: HMACVector) {
    let expected = bytes(fromHex: vector.tag)
    let tag = HMAC.sha256(key: vector.key, message: vector.message)
    #expect(tag.count == SHA256.digestByteCount)
    #expect(Array(tag.prefix(expected.count)) == expected)
  }

  /// Keys of 63, 64 and 65 bytes (0, 1, 2, …) over "abc", from `openssl dgst -sha256 -mac HMAC`:
  /// only a key longer than a block is hashed first.
  @Test(arguments: [
    (63, "d2bee6f325e7ec9e0e412319f6775134f43f4e16e168b7386de22a29c70a7b9d"),
    (64, "6ab541b4869dca71c4ca11d8bb1b02533b789a557583161429292c7404bc21f6"),
    (65, "dfbffee4671bad00ed5d1e1999d55ed3b0cc774ac357f9ebf649c1612414fcec"),
  ])
  func keysAroundTheBlockSize(keyLength: Int, tag: String) {
    let key = (0..<keyLength).map { UInt8($0) }
    #expect(HMAC.sha256(key: key, message: "abc".utf8) == bytes(fromHex: tag))
  }

  @Test func hmacDependsOnKeyAndMessage() {
    let tag = HMAC.sha256(key: "key".utf8, message: "token".utf8)
    #expect(tag != HMAC.sha256(key: "kez".utf8, message: "token".utf8))
    #expect(tag != HMAC.sha256(key: "key".utf8, message: "tokem".utf8))
    #expect(tag != SHA256.hash("keytoken".utf8))
    #expect(HMAC.sha256(key: [], message: []).count == SHA256.digestByteCount)
  }

  // MARK: Constant-time comparison

  @Test func constantTimeEqualAcceptsEqualBytes() {
    let digest = SHA256.hash("token".utf8)
    #expect(ConstantTime.equal(digest, SHA256.hash("token".utf8)))
    #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    #expect(ConstantTime.equal("abc".utf8, [0x61, 0x62, 0x63]))
  }

  @Test func constantTimeEqualRejectsDifferentLengths() {
    let digest = SHA256.hash("token".utf8)
    #expect(!ConstantTime.equal(digest, digest.dropLast()))
    #expect(!ConstantTime.equal(digest.dropLast(), digest))
    #expect(!ConstantTime.equal(digest, digest + [0]))
    #expect(!ConstantTime.equal([UInt8](), [0]))
    #expect(!ConstantTime.equal([0], [UInt8]()))
  }

  @Test func constantTimeEqualRejectsOneDifferingByteAnywhere() {
    let digest = SHA256.hash("token".utf8)
    for index in digest.indices {
      for flip: UInt8 in [0x01, 0x80, 0xff] {
        var altered = digest
        altered[index] ^= flip
        #expect(!ConstantTime.equal(digest, altered), "byte \(index) xor \(flip)")
      }
    }
  }

  // MARK: Helpers

  func bytes(fromHex hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
      UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
  }
}
