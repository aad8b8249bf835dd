import RenkeiReports

/// Amounts of money as staff type and read them: parsed to whole yen (`Int64`), never
/// through floating point, and formatted as `12,000,000円` or compactly as `1,200万円`.
///
/// Accepted, full-width digits and signs included:
///
/// | form | example | yen |
/// |---|---|---|
/// | digits, with or without thousands separators | `12000000`, `12,000,000` | 12,000,000 |
/// | with 円 or ¥ | `12,000,000円`, `¥12,000,000`, `￥１２００万` | 12,000,000 |
/// | Japanese units 兆, 億, 万, 千, and 千万, 千億 | `1200万`, `1億2000万`, `1億2千万`, `1億2,000万5千円`, `5千円` | |
/// | a decimal before the last unit | `1.2億`, `1.0億`, `12.5万` | 120,000,000 … |
/// | negative, where allowed | `-500,000`, `▲500,000`, `△500,000` | −500,000 |
///
/// Refused with an ``InputError`` that names the problem: empty text; separators not every
/// three digits (`1,20,000`); a decimal point without a unit (`1.5`, `1.000`: yen have no
/// fractions, and a European reader may have meant a thousands separator); a figure that
/// comes to a fraction of a yen (`12.34567万`); units out of order or too large for their
/// place (`1億12000万`); a negative amount where none is allowed; anything beyond `Int64`;
/// kanji numerals and stray characters.
public enum YenAmount {
  /// Parses `text` to whole yen.
  ///
  /// - Parameter allowNegative: whether a sign (`-`, `▲`, `△`) is accepted: true for a
  ///   correction, false for the amounts that are never negative.
  public static func parse(_ text: String, allowNegative: Bool = false) throws(InputError) -> Int64 {
    func refuse(_ reason: String) -> InputError { InputError(input: text, expected: "an amount", reason: reason) }
    var rest = Substring(TypedText.folded(text))
    guard !rest.isEmpty else { throw refuse("it is empty") }

    var negative = false
    if let sign = rest.first, "-▲△+".contains(sign) {
      negative = sign != "+"
      rest = rest.dropFirst()
    }
    if rest.first == "¥" || rest.first == "\\" { rest = rest.dropFirst() }
    var hasYenSuffix = false
    if rest.last == "円" {
      rest = rest.dropLast()
      hasYenSuffix = true
    }
    guard !rest.isEmpty else { throw refuse("it has no digits") }
    if let kanji = rest.first(where: { Self.kanjiDigits.contains($0) }) {
      throw refuse("write the number in digits (1200万, 1億2000万), not \"\(kanji)\"")
    }

    let parts = try Self.parts(of: rest, refuse)
    var total: Int64 = 0
    for (index, part) in parts.enumerated() {
      let isLast = index == parts.count - 1
      if part.fraction != nil {
        guard let unit = part.unit else {
          if parts.count > 1 { throw refuse("yen have no fractions: \(part.text) needs no decimal point") }
          // Cents copied from a spreadsheet (5,000,000.00) are not a unit's decimal: name the whole yen.
          if part.fraction!.allSatisfy({ $0 == "0" }), part.fraction!.count != 3 || part.text.contains(",") {
            throw refuse("yen have no fractions: write \(part.text.split(separator: ".")[0]) without .\(part.fraction!)")
          }
          let hint = part.fraction!.count == 3 ? "; for thousands write \(part.integer),\(part.fraction!)" : ""
          throw refuse(
            "a decimal point needs a unit (\(part.text)万, \(part.text)億): yen have no fractions\(hasYenSuffix ? "" : hint)")
        }
        guard isLast else {
          throw refuse("only the last part may have a decimal point: write \(part.text)\(unit.symbol) as whole units")
        }
      }
      if index > 0, let previous = parts[index - 1].unit {
        let current = part.unit?.exponent ?? 0
        guard current < previous.exponent else {
          throw refuse("units must go from largest to smallest: \(part.unit!.symbol) cannot follow \(previous.symbol)")
        }
        // Below a larger unit a part must fit in the gap: 1億2000万, never 1億12000万.
        let room = pow10(previous.exponent - current)
        guard let whole = Int64(part.integer), whole < room else {
          throw refuse(
            "\(part.text)\(part.unit?.symbol ?? "") is too large to follow \(previous.symbol): it must be under \(YenText.grouped(room))\(part.unit?.symbol ?? "")"
          )
        }
      }
      guard let value = try Self.value(of: part, refuse) else {
        throw refuse("it is beyond the largest amount, \(YenText.grouped(Int64.max))円")
      }
      let (sum, overflow) = total.addingReportingOverflow(value)
      guard !overflow else { throw refuse("it is beyond the largest amount, \(YenText.grouped(Int64.max))円") }
      total = sum
    }
    if negative {
      guard allowNegative else { throw refuse("it is negative, and a negative amount is not allowed here") }
      return -total
    }
    return total
  }

  /// `12,000,000円`, `-500,000円`, `0円`.
  public static func format(_ yen: Int64) -> String { YenText.full(yen) }

  /// The same amount in the largest unit it reaches, exactly: `1,200万円`, `1.2億円`,
  /// `1,234.5678万円`, `5,000円`, `-3億円`. Never rounded, so it parses back to the same yen.
  public static func compact(_ yen: Int64) -> String {
    let sign = yen < 0 ? "-" : ""
    let magnitude = yen.magnitude
    guard let unit = Unit.allCases.first(where: { magnitude >= UInt64(pow10($0.exponent)) && $0.exponent >= 4 }) else {
      return format(yen)
    }
    let scale = UInt64(pow10(unit.exponent))
    var text = sign + YenText.grouped(Int64(magnitude / scale))
    var fraction = String(magnitude % scale)
    if fraction != "0" {
      fraction = String(repeating: "0", count: unit.exponent - fraction.count) + fraction
      while fraction.hasSuffix("0") { fraction.removeLast() }
      text += "." + fraction
    }
    return text + unit.symbol + "円"
  }

  // MARK: Internals

  /// The units an amount is written in. 千万 and 千億 (as in 1億2千万) are units of their own,
  /// read as one; they come last so `compact` never writes them.
  private enum Unit: CaseIterable {
    case chou, oku, man, sen, senOku, senMan
    var symbol: String {
      switch self {
      case .chou: return "兆"
      case .oku: return "億"
      case .man: return "万"
      case .sen: return "千"
      case .senOku: return "千億"
      case .senMan: return "千万"
      }
    }
    var exponent: Int {
      switch self {
      case .chou: return 12
      case .oku: return 8
      case .man: return 4
      case .sen: return 3
      case .senOku: return 11
      case .senMan: return 7
      }
    }
    init?(_ character: Character) {
      guard let unit = Self.allCases.first(where: { $0.symbol == String(character) }) else { return nil }
      self = unit
    }
  }

  /// One number and the unit after it: `1,200` `万`, `1.2` `億`, `5000` with none.
  private struct Part {
    var text: String
    /// Digits before the decimal point, separators removed.
    var integer: String
    /// Digits after the decimal point, nil when there is none.
    var fraction: String?
    var unit: Unit?
  }

  private static func parts(of text: Substring, _ refuse: (String) -> InputError) throws(InputError) -> [Part] {
    var parts: [Part] = []
    var rest = text[...]
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }
      guard !number.isEmpty else {
        let found = rest.first!
        if Unit(found) != nil { throw refuse("\(found) must follow a number") }
        if found.isWhitespace { throw refuse("it has a space inside; write the amount without spaces") }
        if found == "円" { throw refuse("円 may only come at the end") }
        throw refuse("unexpected \"\(found)\"")
      }
      rest = rest.dropFirst(number.count)
      var unit: Unit?
      if let next = rest.first, let found = Unit(next) {
        unit = found
        rest = rest.dropFirst()
        if found == .sen, let larger = rest.first.flatMap(Unit.init), larger == .man || larger == .oku {
          unit = larger == .man ? .senMan : .senOku
          rest = rest.dropFirst()
        }
      }
      parts.append(try part(String(number), unit: unit, refuse))
    }
    return parts
  }

  private static func part(_ text: String, unit: Unit?, _ refuse: (String) -> InputError) throws(InputError) -> Part {
    let halves = text.split(separator: ".", omittingEmptySubsequences: false)
    guard halves.count <= 2 else { throw refuse("\(text) has more than one decimal point") }
    let integerText = String(halves[0])
    let fraction = halves.count == 2 ? String(halves[1]) : nil
    guard !integerText.isEmpty, fraction.map({ !$0.isEmpty }) ?? true else {
      throw refuse("\(text): a decimal point needs digits on both sides (0.5万, 1.0億)")
    }
    if let fraction, fraction.contains(",") {
      throw refuse("\(text) has a comma after the decimal point")
    }
    let groups = integerText.split(separator: ",", omittingEmptySubsequences: false)
    if groups.count > 1 {
      guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
        throw refuse("\(text) has misplaced thousands separators: they go every three digits (120,000 or 1,200,000)")
      }
    }
    return Part(text: text, integer: groups.joined(), fraction: fraction, unit: unit)
  }

  /// The part's value in yen; nil beyond Int64.
  private static func value(of part: Part, _ refuse: (String) -> InputError) throws(InputError) -> Int64? {
    let exponent = part.unit?.exponent ?? 0
    var fraction = part.fraction ?? ""
    while fraction.hasSuffix("0") { fraction.removeLast() }
    guard fraction.count <= exponent else {
      throw refuse("\(part.text)\(part.unit?.symbol ?? "") comes to a fraction of a yen")
    }
    // Scale integer and fraction separately so no digit passes through floating point.
    let integerDigits = part.integer.drop { $0 == "0" }
    guard integerDigits.count <= 19, let integer = Int64(integerDigits.isEmpty ? "0" : String(integerDigits)) else {
      return nil
    }
    let (scaled, overflow) = integer.multipliedReportingOverflow(by: pow10(exponent))
    guard !overflow else { return nil }
    let fractional = fraction.isEmpty ? 0 : Int64(fraction)! * pow10(exponent - fraction.count)
    let (sum, sumOverflow) = scaled.addingReportingOverflow(fractional)
    return sumOverflow ? nil : sum
  }

  private static func pow10(_ exponent: Int) -> Int64 {
    (0..<exponent).reduce(1) { value, _ in value * 10 }
  }

  private static let kanjiDigits: Set<Character> = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"]
}
