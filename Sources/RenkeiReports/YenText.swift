/// Amounts of money as the bureau's printed materials show them: exactly, as
/// `12,345,678円`, and at a glance, as `1,235万円` or `1.2億円`.
///
/// Written here rather than borrowed from the agent: reports depend only on RenkeiCore, and
/// the agent's `YenAmount.compact` is exact (it must parse back), while a chart label is
/// rounded to what the eye can compare.
public enum YenText {
  /// Every yen, with a comma every three digits: `12,345,678円`, `-500,000円`, `0円`.
  public static func full(_ yen: Int64) -> String { grouped(yen) + "円" }

  /// Digits with a comma every three, without the unit: `12,345,678`.
  public static func grouped(_ yen: Int64) -> String { (yen < 0 ? "-" : "") + grouped(yen.magnitude) }

  /// The amount rounded to the largest unit it reaches, half away from zero, as in the
  /// ministry's budget papers: `1.0億円` (one decimal of 億), `1,235万円` (whole 万),
  /// and below 10,000 yen every yen, `5,000円`.
  ///
  /// An amount that rounds up into the next unit is shown in it: 99,990,000 yen is
  /// `1.0億円`, never `10,000万円`.
  public static func approximate(_ yen: Int64) -> String {
    let sign = yen < 0 ? "-" : ""
    let magnitude = yen.magnitude
    guard magnitude >= 10_000 else { return sign + grouped(magnitude) + "円" }
    let man = rounded(magnitude, to: 10_000)
    guard man >= 10_000 else { return sign + grouped(man) + "万円" }
    let tenthsOfOku = rounded(magnitude, to: 10_000_000)
    return sign + grouped(tenthsOfOku / 10) + "." + String(tenthsOfOku % 10) + "億円"
  }

  /// The exact amount followed by the rounded one where the amount is large enough for it
  /// to help: `123,456,789円（1.2億円）`, but `5,000円` alone.
  public static func both(_ yen: Int64) -> String {
    yen.magnitude >= 10_000 ? full(yen) + "（" + approximate(yen) + "）" : full(yen)
  }

  // MARK: Internals

  /// `magnitude / unit`, rounded half up, without floating point.
  private static func rounded(_ magnitude: UInt64, to unit: UInt64) -> UInt64 {
    let quotient = magnitude / unit
    return magnitude % unit >= (unit + 1) / 2 ? quotient + 1 : quotient
  }

  /// Written by hand rather than with NumberFormatter: exact for every Int64 and the same
  /// whatever the machine's locale.
  private static func grouped(_ magnitude: UInt64) -> String {
    let digits = Array(String(magnitude))
    var text = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
      text.append(digit)
    }
    return text
  }
}
