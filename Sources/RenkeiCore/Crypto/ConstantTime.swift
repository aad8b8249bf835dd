/// Comparisons whose running time does not depend on where two secrets differ.
///
/// Comparing a presented token's digest with `==` stops at the first differing byte, and
/// the time that takes tells an attacker how many leading bytes were right. Compare
/// secrets, digests and MACs with ``equal(_:_:)`` instead.
public enum ConstantTime {
  /// Whether two byte sequences are equal, looking at every byte of both whatever they hold.
  ///
  /// The running time depends only on the two lengths, never on the contents. Sequences of
  /// different lengths are unequal; the length itself is not treated as secret (digests
  /// have a fixed length anyway).
  ///
  /// - Complexity: O(max(*m*, *n*)) for lengths *m* and *n*.
  public static func equal(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
    let left = Array(lhs)
    let right = Array(rhs)
    // Folding every XOR into one accumulator, with no branch on the bytes, is what keeps
    // the loop from finishing early.
    var difference: UInt8 = left.count == right.count ? 0 : 1
    for index in 0..<max(left.count, right.count) {
      let leftByte = index < left.count ? left[index] : 0
      let rightByte = index < right.count ? right[index] : 0
      difference |= leftByte ^ rightByte
    }
    return difference == 0
  }
}
