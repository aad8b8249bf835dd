/// How many terminal columns text takes: 2 for East-Asian wide and full-width characters
/// (漢字, かな, カナ, full-width forms, Hangul, CJK symbols, emoji), 0 for combining marks and
/// other zero-width characters, 1 for everything else, half-width katakana (ｶﾅ) included.
///
/// Foundation on Linux has no East-Asian width, so this is the Unicode EastAsianWidth
/// property's W and F ranges as a table, plus the stdlib's emoji-presentation property for
/// emoji newer than the table. Ambiguous-width characters (○, ※, …, Greek, Cyrillic) count
/// as 1, as terminals show them by default.
///
/// Width is counted per grapheme cluster (what a person sees as one character), so
/// truncation never splits one: a base with combining marks takes the base's width, and an
/// emoji sequence (ZWJ, flag, skin tone, U+FE0F) takes 2.
public enum DisplayWidth {
  /// The columns `text` takes.
  /// - Complexity: O(n) in the length of `text`.
  public static func of<S: StringProtocol>(_ text: S) -> Int {
    text.reduce(0) { $0 + of($1) }
  }

  /// The columns one grapheme cluster takes.
  ///
  /// An emoji sequence (joined with ZWJ, a flag, a skin-tone modifier, or U+FE0F asking for
  /// emoji presentation) is one picture, 2 columns. Otherwise the code points' widths add
  /// up: combining marks add nothing, and a half-width katakana with its half-width voiced
  /// mark (ｶﾞ) takes the 2 columns its two cells fill.
  public static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    if let first = scalars.first, first.properties.isEmoji,
      scalars.contains(where: {
        [0x200D, 0xFE0F].contains($0.value) || (0x1F1E6...0x1F1FF).contains($0.value) || (0x1F3FB...0x1F3FF).contains($0.value)
      })
    {
      return 2
    }
    return scalars.reduce(0) { $0 + of($1) }
  }

  /// The columns one code point takes on its own: 0, 1 or 2.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let value = scalar.value
    if value < 0x20 || (0x7F...0x9F).contains(value) { return 0 }
    if value < 0x300 { return 1 }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    // Hangul vowels and final consonants that join the initial consonant before them.
    if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
    if isWide(value) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
  }

  /// `text` cut to at most `maxWidth` columns, ending in `…` when anything was cut. Never
  /// splits a grapheme cluster; a wide character that would straddle the limit is dropped,
  /// so the result may be one column short of `maxWidth`.
  public static func truncate(_ text: String, toWidth maxWidth: Int) -> String {
    guard of(text) > maxWidth else { return text }
    guard maxWidth > 0 else { return "" }
    var result = ""
    var width = 0
    for character in text {
      let next = of(character)
      if width + next > maxWidth - 1 { break }
      result.append(character)
      width += next
    }
    return result + "…"
  }

  /// `text` padded with spaces to `width` columns, on the right (`.left`) or left (`.right`).
  public static func pad(_ text: String, toWidth width: Int, alignment: TextTable.Alignment) -> String {
    let padding = String(repeating: " ", count: max(0, width - of(text)))
    return alignment == .left ? text + padding : padding + text
  }

  private static func isWide(_ value: UInt32) -> Bool {
    var low = 0
    var high = wideRanges.count - 1
    while low <= high {
      let middle = (low + high) / 2
      let range = wideRanges[middle]
      if value < range.lowerBound {
        high = middle - 1
      } else if value > range.upperBound {
        low = middle + 1
      } else {
        return true
      }
    }
    return false
  }

  /// EastAsianWidth W and F (Unicode 14), assigned code points only, adjacent ranges merged
  /// across unassigned gaps; plus the CJK ideograph blocks, wide even where unassigned.
  /// Combining marks inside these blocks (U+302A–302D, U+3099–309A) are excluded.
  private static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
    0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
    0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
    0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
    0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
    0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
    // CJK radicals, symbols and punctuation (、。「」〜), Hiragana, Katakana, Bopomofo,
    // Hangul compatibility jamo, Kanbun, CJK strokes, enclosed CJK, compatibility squares (㍻).
    0x2E80...0x3029, 0x302E...0x303E, 0x3041...0x3096, 0x309B...0x3247, 0x3250...0x4DBF,
    // CJK unified ideographs, Yi.
    0x4E00...0xA4C6,
    // Hangul jamo extended-A, Hangul syllables, CJK compatibility ideographs.
    0xA960...0xA97C, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    // Vertical forms, CJK compatibility forms, small form variants.
    0xFE10...0xFE19, 0xFE30...0xFE6B,
    // Full-width ASCII and punctuation, full-width signs (￥). Half-width katakana
    // (U+FF61–FF9F) are narrow and not listed.
    0xFF01...0xFF60, 0xFFE0...0xFFE6,
    // Tangut, Khitan, kana supplements.
    0x16FE0...0x16FE3, 0x16FF0...0x1B2FB,
    // Mahjong and playing cards, enclosed ideographic supplement, emoji and pictographs.
    0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
    0x1F200...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3,
    0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D,
    0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
    0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
    0x1F7E0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAF6,
    // CJK unified ideographs extensions B onwards (planes 2 and 3).
    0x20000...0x3FFFD,
  ]
}
