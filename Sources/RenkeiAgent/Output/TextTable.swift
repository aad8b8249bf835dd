/// A table for people: a header, a separator line, and rows whose columns line up in a
/// terminal even when cells mix Japanese and ASCII, because widths are counted in display
/// columns (``DisplayWidth``), not characters.
///
/// ```
/// 日付        名称                会場       参加者
/// ----------  ------------------  ---------  ------
/// 2023-05-30  地域包括ケア協議会  講堂           33
/// ```
///
/// Columns are separated by two spaces, lines end in `\n` and carry no trailing spaces.
/// A cell wider than its column's `maxWidth` is cut and ends in `…`. Line breaks, tabs and
/// other control characters in a cell become spaces, so one row is always one line.
public struct TextTable: Sendable {
  /// Which side of its column a cell keeps to; numbers read best on the right.
  public enum Alignment: Sendable, Hashable {
    case left, right
  }

  /// One column: its header, its alignment and how wide its cells may grow.
  public struct Column: Sendable, Hashable {
    public var header: String
    public var alignment: Alignment
    /// The most columns a cell may take, the `…` included; nil for no limit. At least 1.
    public var maxWidth: Int?

    /// A column headed `header`; a `maxWidth` below 1 is a programming mistake.
    public init(_ header: String, alignment: Alignment = .left, maxWidth: Int? = nil) {
      precondition(maxWidth.map { $0 >= 1 } ?? true, "a column's maxWidth must be at least 1")
      self.header = header
      self.alignment = alignment
      self.maxWidth = maxWidth
    }
  }

  public var columns: [Column]
  /// The rows appended so far, each as many cells as there are columns.
  public private(set) var rows: [[String]] = []

  /// An empty table with these columns.
  public init(columns: [Column]) {
    self.columns = columns
  }

  /// Adds a row. A short row is filled with empty cells; a row longer than the columns is
  /// a programming mistake.
  public mutating func append(_ row: [String]) {
    precondition(row.count <= columns.count, "a row of \(row.count) cells in a table of \(columns.count) columns")
    rows.append(row + Array(repeating: "", count: columns.count - row.count))
  }

  /// The table as text, one line per row after the header and separator.
  public func render() -> String {
    let header = columns.map { fit($0.header, $0) }
    let body = rows.map { row in zip(row, columns).map { fit($0, $1) } }
    let widths = columns.indices.map { index in
      ([header[index]] + body.map { $0[index] }).map(DisplayWidth.of).max() ?? 0
    }
    var lines = [line(header, widths), line(widths.map { String(repeating: "-", count: $0) }, widths)]
    lines += body.map { line($0, widths) }
    return lines.map { $0 + "\n" }.joined()
  }

  private func fit(_ cell: String, _ column: Column) -> String {
    let flat = String(cell.map { $0.isNewline || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : $0 })
    guard let maxWidth = column.maxWidth else { return flat }
    return DisplayWidth.truncate(flat, toWidth: maxWidth)
  }

  private func line(_ cells: [String], _ widths: [Int]) -> String {
    let padded = zip(cells, zip(widths, columns)).map { cell, layout in
      DisplayWidth.pad(cell, toWidth: layout.0, alignment: layout.1.alignment)
    }
    var text = padded.joined(separator: "  ")
    while text.last == " " { text.removeLast() }
    return text
  }
}
