/// Line breaking for SVG text, which has no wrapping of its own.
///
/// Widths are estimates in ems from the character classes alone: a CJK character is one em,
/// Latin letters and digits about half. That is close enough for the fonts the reports name
/// (Noto Sans CJK JP, IPAexGothic), and errs wide, so text stays inside its column.
enum TextLayout {
  /// The estimated width of `text` at `fontSize`, in the same unit as `fontSize`.
  static func width(_ text: some StringProtocol, fontSize: Double) -> Double {
    text.reduce(0) { $0 + ems($1) } * fontSize
  }

  /// `text` broken into lines no wider than `maxWidth`, at most `maxLines` of them; when
  /// the text does not fit, the last line ends in `…`.
  ///
  /// Breaks fall between CJK characters or at spaces; a run of Latin letters and digits is
  /// never split unless it is wider than a whole line. As in Japanese typesetting (kinsoku),
  /// closing brackets and punctuation never begin a line and opening brackets never end one.
  static func lines(_ text: String, maxWidth: Double, fontSize: Double, maxLines: Int = .max) -> [String] {
    let limit = maxWidth / fontSize
    var lines: [String] = []
    var current = ""
    var currentWidth = 0.0
    for token in tokens(of: text) {
      let tokenWidth = token.reduce(0) { $0 + ems($1) }
      if currentWidth + tokenWidth > limit, !current.isEmpty {
        lines.append(current)
        current = ""
        currentWidth = 0
        if token.allSatisfy(\.isWhitespace) { continue }
      }
      if tokenWidth > limit {
        // A single run wider than a line: split it by characters.
        for character in token {
          let width = ems(character)
          if currentWidth + width > limit, !current.isEmpty {
            lines.append(current)
            current = ""
            currentWidth = 0
          }
          current.append(character)
          currentWidth += width
        }
      } else {
        current += token
        currentWidth += tokenWidth
      }
    }
    if !current.isEmpty { lines.append(current) }
    lines = lines.map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
    guard lines.count > maxLines, maxLines > 0 else { return lines }
    var kept = Array(lines.prefix(maxLines))
    var last = kept[maxLines - 1]
    while !last.isEmpty, (last.reduce(0) { $0 + ems($1) } + 1) > limit { last.removeLast() }
    kept[maxLines - 1] = last + "…"
    return kept
  }

  // MARK: Internals

  /// Units that stay on one line: a Latin word, a space, or one CJK character with any
  /// closing punctuation after it and opening punctuation before it.
  private static func tokens(of text: String) -> [String] {
    var tokens: [String] = []
    var pendingOpeners = ""
    for character in text {
      if noLineStart.contains(character), !tokens.isEmpty, pendingOpeners.isEmpty {
        tokens[tokens.count - 1].append(character)
      } else if noLineEnd.contains(character) {
        pendingOpeners.append(character)
      } else if isWordCharacter(character), let last = tokens.last?.last, isWordCharacter(last), pendingOpeners.isEmpty {
        tokens[tokens.count - 1].append(character)
      } else {
        tokens.append(pendingOpeners + String(character))
        pendingOpeners = ""
      }
    }
    if !pendingOpeners.isEmpty { tokens.append(pendingOpeners) }
    return tokens
  }

  private static func isWordCharacter(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber || "._/:%-".contains(character))
  }

  /// Width in ems: ASCII about half, half-width katakana half, everything else full.
  private static func ems(_ character: Character) -> Double {
    guard let scalar = character.unicodeScalars.first else { return 0 }
    switch scalar.value {
    case 0x20: return 0.3
    case 0x21...0x7E: return character.isUppercase || "mw%@".contains(character) ? 0.68 : 0.56
    case 0xFF61...0xFF9F: return 0.5
    default: return 1
    }
  }

  private static let noLineStart: Set<Character> = [
    "、", "。", "，", "．", "）", ")", "」", "』", "】", "〉", "》", "＞", ">", "］", "]", "｝", "・", "ー", "～", "〜", "！",
    "？", "!", "?", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "っ", "ゃ", "ゅ", "ょ", "ァ", "ィ", "ゥ", "ェ", "ォ", "ッ", "ャ", "ュ", "ョ",
  ]
  private static let noLineEnd: Set<Character> = ["（", "(", "「", "『", "【", "〈", "《", "＜", "<", "［", "[", "｛"]
}
