/// Recognises text that is already in NFC without normalising it: Foundation's normaliser
/// copies every string through CFString, and normalising stored and typed Japanese text
/// was a large share of a merge and of a replica edit.
///
/// A string is in NFC when each of its scalars is one NFC keeps as it is (Unicode's
/// NFC_Quick_Check = Yes) and has canonical combining class 0, so that no two of them can
/// compose or be reordered. The ranges below hold only such scalars: ASCII, Latin-1, the
/// punctuation, symbols, kana, ideographs and full-width forms Japanese text is made of.
/// They leave out what would break the rule — the combining kana voicing marks U+3099 and
/// U+309A, the combining tone marks U+302A–U+302F, and the compatibility ideographs and
/// letterlike symbols (Ω, Å, K) that NFC replaces. A test holds every scalar in them to
/// both properties. Any other scalar sends the string to the normaliser.
enum NFCQuickCheck {
  static func isKnownNFC(_ text: String) -> Bool {
    // Scalars decoded from the UTF-8 bytes by hand: the string's own scalar iterator was
    // most of the check's cost, and every text of every record read is checked.
    var text = text
    return text.withUTF8 { utf8 in
      var index = 0
      while index < utf8.count {
        let lead = utf8[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        // A String's bytes are valid UTF-8: the lead byte gives the length, and the
        // continuation bytes are there.
        let value: UInt32
        if lead < 0xE0 {
          value = UInt32(lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F)
          index += 2
        } else if lead < 0xF0 {
          value = UInt32(lead & 0x0F) << 12 | UInt32(utf8[index + 1] & 0x3F) << 6 | UInt32(utf8[index + 2] & 0x3F)
          index += 3
        } else {
          value =
            UInt32(lead & 0x07) << 18 | UInt32(utf8[index + 1] & 0x3F) << 12 | UInt32(utf8[index + 2] & 0x3F) << 6
            | UInt32(utf8[index + 3] & 0x3F)
          index += 4
        }
        if !isStable(value) { return false }
      }
      return true
    }
  }

  static func isStable(_ value: UInt32) -> Bool {
    if value < 0x100 { return true }
    return stableRanges.contains { $0.contains(value) }
  }

  /// In order of how often Japanese text meets them.
  static let stableRanges: [ClosedRange<UInt32>] = [
    0x4E00...0x9FFF,  // CJK unified ideographs
    0x3041...0x3096,  // hiragana
    0x309B...0x30FF,  // spacing voicing marks, iteration marks, katakana, ・, ー
    0x3000...0x3029,  // ideographic space, 、。, brackets, 〒, 〜
    0x3030...0x303F,
    0xFF01...0xFFEF,  // full-width and half-width forms
    0x2010...0x2027,  // dashes, quotation marks, †, ‥, …
    0x2030...0x205E,  // ‰, ′, ※, ‼
    0x2190...0x21FF,  // arrows
    0x2460...0x24FF,  // ①, ⑴, ⒜
    0x2500...0x26FF,  // box drawing, ■□▲△○●◎◇◆, ★☆
    0x3200...0x33FF,  // ㈱, ㊤, ㍻, ㎡
    0x3400...0x4DBF,  // CJK unified ideographs, extension A
    0x20000...0x2A6DF,  // CJK unified ideographs, extension B
  ]
}
