/// The pieces of a typed date or fiscal year, after folding: digit runs, era names, 元,
/// and single other characters. Whitespace separates tokens and is otherwise dropped.
enum DateToken: Sendable, Equatable {
  case number(String)
  case era(JapaneseEra)
  /// 元, the first year of an era.
  case firstYear
  case symbol(Character)

  static func tokenize(_ folded: String) -> [DateToken] {
    let characters = Array(folded)
    var tokens: [DateToken] = []
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        index += 1
      } else if character.isASCII, character.isNumber {
        var digits = ""
        while index < characters.count, characters[index].isASCII, characters[index].isNumber {
          digits.append(characters[index])
          index += 1
        }
        tokens.append(.number(digits))
      } else if index + 1 < characters.count,
        let era = JapaneseEra.all.first(where: {
          $0.name == String(characters[index...index + 1])
        })
      {
        tokens.append(.era(era))
        index += 2
      } else if tokens.isEmpty, character.isASCII, character.isLetter, index + 1 < characters.count,
        (characters[index + 1].isASCII && characters[index + 1].isNumber) || characters[index + 1] == "元",
        let era = JapaneseEra.named(String(character))
      {
        // A letter counts as an era only first and in front of its year, so the `T` of
        // `2023-05-30T10:00` stays a symbol and is refused by name.
        tokens.append(.era(era))
        index += 1
      } else if character == "元" {
        tokens.append(.firstYear)
        index += 1
      } else {
        tokens.append(.symbol(character))
        index += 1
      }
    }
    return tokens
  }

  /// Kanji numerals, which the parsers do not read: they are refused with a hint.
  static let kanjiDigits: Set<Character> = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千"]

  var text: String {
    switch self {
    case .number(let digits): return digits
    case .era(let era): return era.name
    case .firstYear: return "元"
    case .symbol(let character): return String(character)
    }
  }
}
