import Foundation

/// How note search compares text: the indexed text and the words looked for are both folded,
/// so what staff type matches whatever width and case the note was written in, while the
/// note itself is stored as written.
///
/// - Width: Unicode compatibility mapping (NFKC), so full-width Latin letters and digits
///   (`ＡＢＣ`, `２０２６`) read as ASCII, half-width katakana (`ｹｱﾏﾈ`, `ｶﾞ`) as full-width
///   katakana with voiced marks composed, the ideographic space as a space, and `㍻` as 平成.
/// - Case: lower case, so `ABC`, `abc` and `ＡＢＣ` are one word.
///
/// NFKC also reads `①` as `1` and `²` as `2`: harmless in a search, where it only finds
/// more, which is why this folding is for search alone and never for stored text or for
/// reading amounts and dates (see the agent's typed-text folding).
public enum SearchFolding {
  /// `text` folded for search. Pure and deterministic: the replica computes the index from
  /// it in SQL and the query in Swift, and the two must agree.
  public static func folded(_ text: String) -> String {
    // ASCII is its own compatibility form: only its case folds.
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
    // Foundation's compatibility mapping on Linux leaves a half-width voiced mark as a
    // combining mark (ｶﾞ → カ + U+3099), so NFC composes what NFKC should have (→ ガ).
    return text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.lowercased()
  }
}
