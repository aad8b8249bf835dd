/// The few SVG elements the charts draw, as markup strings with every text escaped.
///
/// Styles are presentation attributes rather than CSS, so a chart saved with `--svg` looks
/// the same pasted into a word processor or a slide as in a browser; the `class` names
/// carry the meaning (`status-held`, `today-marker`) for print CSS and for tests.
enum SVGMarkup {
  /// The font list every report uses: no font files are embedded or fetched.
  static let fontFamily = "'Noto Sans CJK JP', 'IPAexGothic', 'IPAGothic', 'Hiragino Sans', 'Yu Gothic', sans-serif"

  /// A coordinate or length without needless decimals: `12`, `12.5`.
  static func number(_ value: Double) -> String {
    let tenths = Int((abs(value) * 10).rounded())
    let sign = value < 0 && tenths != 0 ? "-" : ""
    return sign + String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10))
  }

  /// The opening `<svg>` tag. `standalone` adds the namespace a file on its own needs (an
  /// HTML parser supplies it for inline SVG) and a printed size in millimetres.
  static func open(width: Double, height: Double, standalone: Bool, className: String, label: String) -> String {
    // 1040 user units print 275 mm wide: the width of A4 landscape inside 11 mm margins.
    let millimetresPerUnit = 275.0 / 1040.0
    var tag = "<svg"
    if standalone { tag += " xmlns=\"http://www.w3.org/2000/svg\"" }
    tag += " class=\"\(className)\" viewBox=\"0 0 \(number(width)) \(number(height))\""
    if standalone {
      tag += " width=\"\(number(width * millimetresPerUnit))mm\" height=\"\(number(height * millimetresPerUnit))mm\""
    } else {
      tag += " width=\"\(number(width))\" height=\"\(number(height))\""
    }
    tag += " role=\"img\" aria-label=\"\(HTMLText.escape(label))\" font-family=\"\(fontFamily)\">"
    return tag
  }

  static func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1,
    dash: String? = nil, radius: Double = 0, className: String? = nil, opacity: Double? = nil
  ) -> String {
    var tag = "<rect"
    if let className { tag += " class=\"\(className)\"" }
    tag += " x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(max(0, width)))\" height=\"\(number(max(0, height)))\""
    if radius > 0 { tag += " rx=\"\(number(radius))\"" }
    tag += " fill=\"\(fill)\""
    if let opacity { tag += " fill-opacity=\"\(number(opacity))\"" }
    if let stroke { tag += " stroke=\"\(stroke)\" stroke-width=\"\(number(strokeWidth))\"" }
    if let dash { tag += " stroke-dasharray=\"\(dash)\"" }
    return tag + "/>"
  }

  static func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil, className: String? = nil
  ) -> String {
    var tag = "<line"
    if let className { tag += " class=\"\(className)\"" }
    tag += " x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\""
    tag += " stroke=\"\(stroke)\" stroke-width=\"\(number(width))\""
    if let dash { tag += " stroke-dasharray=\"\(dash)\"" }
    return tag + "/>"
  }

  /// A closed polygon through `points`.
  static func polygon(
    _ points: [(Double, Double)], fill: String, stroke: String? = nil, strokeWidth: Double = 1, dash: String? = nil,
    className: String? = nil
  ) -> String {
    var tag = "<polygon"
    if let className { tag += " class=\"\(className)\"" }
    tag += " points=\"" + points.map { number($0.0) + "," + number($0.1) }.joined(separator: " ") + "\""
    tag += " fill=\"\(fill)\""
    if let stroke { tag += " stroke=\"\(stroke)\" stroke-width=\"\(number(strokeWidth))\" stroke-linejoin=\"round\"" }
    if let dash { tag += " stroke-dasharray=\"\(dash)\"" }
    return tag + "/>"
  }

  static func circle(
    x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1, className: String? = nil
  ) -> String {
    var tag = "<circle"
    if let className { tag += " class=\"\(className)\"" }
    tag += " cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"\(number(radius))\" fill=\"\(fill)\""
    if let stroke { tag += " stroke=\"\(stroke)\" stroke-width=\"\(number(strokeWidth))\"" }
    return tag + "/>"
  }

  enum Anchor: String {
    case start, middle, end
  }

  /// One line of text; `content` is escaped here.
  static func text(
    _ content: String, x: Double, y: Double, size: Double, fill: String = "#1f2933", weight: Int? = nil,
    anchor: Anchor = .start, className: String? = nil
  ) -> String {
    var tag = "<text"
    if let className { tag += " class=\"\(className)\"" }
    tag += " x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(size))\" fill=\"\(fill)\""
    if let weight { tag += " font-weight=\"\(weight)\"" }
    if anchor != .start { tag += " text-anchor=\"\(anchor.rawValue)\"" }
    return tag + ">" + HTMLText.escape(content) + "</text>"
  }

  /// A tooltip for the element it is placed in: the full text of a label that was shortened.
  static func title(_ content: String) -> String { "<title>" + HTMLText.escape(content) + "</title>" }
}
