import Foundation

/// Folding of what Japanese keyboards produce into the ASCII the parsers read.
///
/// Deliberately narrower than NFKC or ICU's full-width→half-width transform: NFKC would turn
/// `²` into `2` and `①` into `1`, so `12²000` would silently become an amount, and the ICU
/// transform also turns katakana and `、` into their half-width forms. Only what staff type
/// for digits, signs and separators is folded; anything else reaches the parser as it is
/// and is refused there by name.
enum TypedText {
  /// `text` in NFC with full-width ASCII (`２０２３－０５－３０`, `ＦＹ`, `，`, `．`), the
  /// ideographic space, the full-width yen sign, dash look-alikes and the squared era
  /// names (`㋿`, `㍻`) folded, and surrounding whitespace removed.
  static func folded(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
      switch scalar.value {
      case 0xFF01...0xFF5E: result.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
      case 0x3000: result.unicodeScalars.append(" ")
      case 0xFFE5: result.unicodeScalars.append("¥")
      // Hyphen, non-breaking hyphen, en dash, minus sign, small hyphen-minus: what an IME
      // or a copied document gives for "-".
      case 0x2010, 0x2011, 0x2013, 0x2212, 0xFE63: result.unicodeScalars.append("-")
      case 0x32FF: result += "令和"
      case 0x337B: result += "平成"
      case 0x337C: result += "昭和"
      case 0x337D: result += "大正"
      case 0x337E: result += "明治"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result.trimmingWhitespace
  }
}

extension String {
  /// The text without leading and trailing whitespace (any Unicode whitespace).
  var trimmingWhitespace: String {
    guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
    let last = lastIndex(where: { !$0.isWhitespace })!
    return String(self[first...last])
  }
}
