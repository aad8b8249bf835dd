import Foundation
import RenkeiTestSupport
import Testing

@testable import RenkeiCore

/// Text the quick check calls NFC skips the normaliser, so the check must never be wrong
/// about a scalar it lets through.
@Suite struct NFCQuickCheckTests {
  static let stableScalars: [Unicode.Scalar] = ([0...0xFF] + NFCQuickCheck.stableRanges).flatMap { range in
    range.compactMap(Unicode.Scalar.init)
  }

  @Test func everyStableScalarIsItsOwnNFCAndNeverReorders() {
    #expect(Self.stableScalars.count > 40_000)
    var wrong: [String] = []
    for scalar in Self.stableScalars {
      let text = String(scalar)
      if text.precomposedStringWithCanonicalMapping != text || scalar.properties.canonicalCombiningClass != .notReordered {
        wrong.append(String(scalar.value, radix: 16))
      }
    }
    #expect(wrong.isEmpty, "not NFC-stable: \(wrong.prefix(20))")
  }

  /// No two stable scalars compose: text made only of them is its own NFC.
  @Test func randomTextOfStableScalarsIsItsOwnNFC() {
    var random = SplitMix64(seed: 0x4E4643)
    for _ in 0..<5_000 {
      let text = String(String.UnicodeScalarView((0..<random.below(16)).map { _ in Self.stableScalars[random.below(Self.stableScalars.count)] }))
      #expect(NFCQuickCheck.isKnownNFC(text))
      #expect(text.precomposedStringWithCanonicalMapping == text, "\(text.debugDescription) is not its own NFC")
    }
  }

  @Test func textThatNeedsNormalisingIsNormalised() {
    for (typed, normal) in [("か\u{3099}", "が"), ("e\u{301}", "é"), ("\u{212B}", "Å"), ("\u{F900}", "\u{8C48}"), ("\u{1100}\u{1161}", "가")] {
      #expect(!NFCQuickCheck.isKnownNFC(typed))
      #expect(FieldValue.text(typed) == .string(normal))
    }
    #expect(NFCQuickCheck.isKnownNFC("地域包括ケア会議（第2回）・さいたま市　〒330"))
  }
}

/// Trimming decides White_Space from a list of code points; it must agree with Unicode's
/// property on every scalar.
@Suite struct WhiteSpaceListTests {
  @Test func theListIsUnicodesWhiteSpace() {
    var disagreements: [String] = []
    for value in UInt32(0)...0x10FFFF {
      guard let scalar = Unicode.Scalar(value) else { continue }
      if scalar.isWhiteSpace != scalar.properties.isWhitespace { disagreements.append(String(value, radix: 16)) }
    }
    #expect(disagreements.isEmpty, "disagree: \(disagreements.prefix(20))")
    #expect(" \u{3000}研修\u{A0}\n".trimmingWhitespace == "研修")
  }
}
