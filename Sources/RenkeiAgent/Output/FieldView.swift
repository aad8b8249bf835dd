/// One record for people, field by field: labels in a column, values beside them, and
/// long text continued on the lines below, under its value. Widths are display columns, so
/// Japanese labels and values line up like ASCII ones.
///
/// ```
/// title         地域包括ケア推進都県協議会
/// starts-on     2023-05-30 (令和5年5月30日)
/// notes         講師: 厚生局
///               資料は事前配布
/// ```
///
/// Empty values are left out; lines carry no trailing spaces and end in `\n`.
struct FieldView: Sendable {
  private var rows: [(label: String, value: String)] = []

  init() {}

  /// Adds a row; nil or empty values add nothing.
  mutating func append(_ label: String, _ value: String?) {
    guard let value, !value.isEmpty else { return }
    rows.append((label, value))
  }

  func render() -> String {
    let labelWidth = rows.map { DisplayWidth.of($0.label) }.max() ?? 0
    let indent = String(repeating: " ", count: labelWidth + 2)
    var text = ""
    for row in rows {
      var lines = row.value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
        var trimmed = String(line)
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        return trimmed
      }
      while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
      for (index, line) in lines.enumerated() {
        let prefix = index == 0 ? DisplayWidth.pad(row.label, toWidth: labelWidth, alignment: .left) + "  " : indent
        var full = prefix + line
        while full.last == " " { full.removeLast() }
        text += full + "\n"
      }
    }
    return text
  }
}
