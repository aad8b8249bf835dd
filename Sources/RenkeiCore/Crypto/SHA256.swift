/// SHA-256 as specified by FIPS 180-4, written here because Foundation on Linux has no
/// digest API and Renkei takes no package dependencies.
///
/// Use ``hash(_:)`` for a message that is already in memory, or feed a message in pieces
/// with ``update(_:)`` and read the digest with ``finalize()``; both give the same 32 bytes.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update("ab".utf8)
/// hasher.update("c".utf8)
/// hasher.finalize() == SHA256.hash("abc".utf8)  // true
/// ```
///
/// A value of this type is a hashing state: copying it forks the state, so one prefix can
/// be continued in two directions.
public struct SHA256: Sendable {
  /// The length of a digest in bytes.
  public static let digestByteCount = 32

  /// The length of the blocks the compression function consumes, in bytes. HMAC pads its
  /// key to this length.
  public static let blockByteCount = 64

  /// The eight working words H0…H7, starting from the FIPS 180-4 §5.3.3 initial value.
  private var state: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
    0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
  ]

  /// Bytes received since the last full block; always fewer than ``blockByteCount``.
  private var pending: [UInt8] = []

  /// The message length so far in bytes. FIPS 180-4 bounds a message below 2^64 bits, so
  /// the bit length taken at ``finalize()`` is this count times 8, modulo 2^64.
  private var messageByteCount: UInt64 = 0

  /// Creates a hasher for an empty message.
  public init() {
    pending.reserveCapacity(Self.blockByteCount)
  }

  /// Appends bytes to the message.
  ///
  /// - Complexity: O(*n*) in the number of bytes; contiguous inputs such as `[UInt8]`,
  ///   `Data` and the UTF-8 view of a native `String` are read without copying.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    let wasContiguous: Void? = bytes.withContiguousStorageIfAvailable { absorb($0) }
    if wasContiguous != nil { return }
    var chunk: [UInt8] = []
    chunk.reserveCapacity(4096)
    for byte in bytes {
      chunk.append(byte)
      if chunk.count == 4096 {
        chunk.withUnsafeBufferPointer { absorb($0) }
        chunk.removeAll(keepingCapacity: true)
      }
    }
    chunk.withUnsafeBufferPointer { absorb($0) }
  }

  /// Returns the digest of every byte passed to ``update(_:)`` so far.
  ///
  /// The hasher is left as it was, so more bytes may follow and a later call returns the
  /// digest of the longer message.
  ///
  /// - Returns: ``digestByteCount`` bytes, most significant byte of H0 first.
  public func finalize() -> [UInt8] {
    var padded = self
    let bitLength = messageByteCount &* 8
    // One 1 bit, then zeros until 8 bytes short of a block boundary, then the length.
    let zeroCount = (Self.blockByteCount * 2 - 8 - 1 - pending.count) % Self.blockByteCount
    var padding: [UInt8] = [0x80]
    padding.append(contentsOf: repeatElement(0, count: zeroCount))
    padding.append(contentsOf: Self.bigEndianBytes(of: bitLength))
    padding.withUnsafeBufferPointer { padded.absorb($0) }
    assert(padded.pending.isEmpty)
    var digest: [UInt8] = []
    digest.reserveCapacity(Self.digestByteCount)
    for word in padded.state {
      digest.append(contentsOf: Self.bigEndianBytes(of: word))
    }
    return digest
  }

  /// The SHA-256 digest of a whole message.
  ///
  /// - Returns: ``digestByteCount`` bytes.
  public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// The SHA-256 digest of a string's UTF-8 encoding, as 64 lowercase hexadecimal digits —
  /// the form `sha256sum` prints.
  ///
  /// The string is hashed as it is: callers that want `"é"` precomposed and decomposed to
  /// agree must normalise first.
  public static func hexDigest(of string: String) -> String {
    hexDigest(of: string.utf8)
  }

  /// The SHA-256 digest of a byte sequence, as 64 lowercase hexadecimal digits.
  public static func hexDigest(of bytes: some Sequence<UInt8>) -> String {
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(digestByteCount * 2)
    for byte in hash(bytes) {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// Counts the bytes, completes a pending block if it can, compresses every whole block
  /// straight from `input`, and keeps the tail for next time.
  private mutating func absorb(_ input: UnsafeBufferPointer<UInt8>) {
    messageByteCount &+= UInt64(input.count)
    var rest = input[...]
    if !pending.isEmpty {
      let taken = min(Self.blockByteCount - pending.count, rest.count)
      pending.append(contentsOf: rest.prefix(taken))
      rest = rest.dropFirst(taken)
      guard pending.count == Self.blockByteCount else { return }
      pending.withUnsafeBufferPointer { Self.compress($0, into: &state) }
      pending.removeAll(keepingCapacity: true)
    }
    while rest.count >= Self.blockByteCount {
      Self.compress(UnsafeBufferPointer(rebasing: rest.prefix(Self.blockByteCount)), into: &state)
      rest = rest.dropFirst(Self.blockByteCount)
    }
    pending.append(contentsOf: rest)
  }

  /// The compression function of FIPS 180-4 §6.2.2 applied to one 64-byte block.
  private static func compress(_ block: UnsafeBufferPointer<UInt8>, into state: inout [UInt32]) {
    precondition(block.count == blockByteCount)
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
      for t in 0..<16 {
        let base = block.startIndex + t * 4
        schedule[t] =
          UInt32(block[base]) << 24 | UInt32(block[base + 1]) << 16
          | UInt32(block[base + 2]) << 8 | UInt32(block[base + 3])
      }
      for t in 16..<64 {
        let w15 = schedule[t - 15]
        let w2 = schedule[t - 2]
        let sigma0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
        let sigma1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
        schedule[t] = sigma1 &+ schedule[t - 7] &+ sigma0 &+ schedule[t - 16]
      }
      var a = state[0]
      var b = state[1]
      var c = state[2]
      var d = state[3]
      var e = state[4]
      var f = state[5]
      var g = state[6]
      var h = state[7]
      for t in 0..<64 {
        let bigSigma1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
        let choose = (e & f) ^ (~e & g)
        let temporary1 = h &+ bigSigma1 &+ choose &+ roundConstants[t] &+ schedule[t]
        let bigSigma0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
        let majority = (a & b) ^ (a & c) ^ (b & c)
        let temporary2 = bigSigma0 &+ majority
        h = g
        g = f
        f = e
        e = d &+ temporary1
        d = c
        c = b
        b = a
        a = temporary1 &+ temporary2
      }
      state[0] &+= a
      state[1] &+= b
      state[2] &+= c
      state[3] &+= d
      state[4] &+= e
      state[5] &+= f
      state[6] &+= g
      state[7] &+= h
    }
  }

  private static func bigEndianBytes(of value: some FixedWidthInteger) -> [UInt8] {
    let byteCount = value.bitWidth / 8
    return (0..<byteCount).map { UInt8(truncatingIfNeeded: value >> ((byteCount - 1 - $0) * 8)) }
  }

  /// K0…K63 of FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
  /// roots of the first 64 primes.
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]
}

extension UInt32 {
  /// Rotation right by `count` bits, the ROTR operation of FIPS 180-4 §3.2.
  fileprivate func rotatedRight(_ count: UInt32) -> UInt32 {
    (self >> count) | (self << (32 - count))
  }
}
