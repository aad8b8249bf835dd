/// HMAC as specified by RFC 2104, over the hash functions Renkei implements itself.
///
/// Renkei keys API tokens with it, so the stored value reveals nothing about the token
/// without the key.
public enum HMAC {
  /// HMAC-SHA-256 of `message` under `key` (RFC 2104 with SHA-256; test vectors in RFC 4231).
  ///
  /// A key longer than ``SHA256/blockByteCount`` bytes is hashed first and a shorter one is
  /// padded with zeros, as the RFC prescribes; any length, including empty, is accepted.
  ///
  /// - Returns: ``SHA256/digestByteCount`` bytes. Callers that need a truncated tag take a
  ///   prefix (RFC 4231 test case 5 keeps 16 bytes).
  public static func sha256(key: some Sequence<UInt8>, message: some Sequence<UInt8>) -> [UInt8] {
    var blockKey = Array(key)
    if blockKey.count > SHA256.blockByteCount {
      blockKey = SHA256.hash(blockKey)
    }
    blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))

    var inner = SHA256()
    inner.update(blockKey.map { $0 ^ 0x36 })
    inner.update(message)

    var outer = SHA256()
    outer.update(blockKey.map { $0 ^ 0x5c })
    outer.update(inner.finalize())
    return outer.finalize()
  }
}
