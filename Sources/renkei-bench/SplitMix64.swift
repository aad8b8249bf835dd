/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast generator whose whole output is a
/// function of its seed, so every run with the same `--seed` generates the same data.
///
/// `below(_:)` is written out here rather than left to the standard library's
/// `Int.random(in:using:)`, whose way of drawing from a generator may change between
/// toolchains; the benchmark's data must not.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// An independent stream named `label`: each workload draws from its own, so changing
  /// one workload never changes another's data.
  static func stream(_ label: String, seed: UInt64) -> SplitMix64 {
    // FNV-1a of the label, mixed into the seed.
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in label.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    var mixer = SplitMix64(seed: seed ^ hash)
    return SplitMix64(seed: mixer.next())
  }

  /// A whole number in `0..<bound` (Lemire's multiply-high, without the rejection step:
  /// the bias, below 2⁻³², does not matter for test data).
  mutating func below(_ bound: Int) -> Int {
    precondition(bound > 0)
    return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// True with probability `numerator / denominator`.
  mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

  mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

  /// A lowercase UUID-shaped record id: records made in Renkei have one.
  mutating func recordID() -> String {
    let digits = Array("0123456789abcdef".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(36)
    for (word, range) in [(next(), 0..<16), (next(), 16..<32)] {
      for position in range {
        switch position {
        case 8, 12, 16, 20: bytes.append(UInt8(ascii: "-"))
        default: break
        }
        // The version and variant digits of a random UUID.
        let nibble = Int((word >> UInt64(4 * (15 - position % 16))) & 0xF)
        bytes.append(position == 12 ? UInt8(ascii: "4") : position == 16 ? UInt8(ascii: "a") : digits[nibble])
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
