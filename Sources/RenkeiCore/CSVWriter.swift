/// Writes RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled.
public struct CSVWriter: Sendable {
  /// Excel (Japanese Windows included) reads UTF-8 only after a byte-order mark, and
  /// expects CRLF line ends.
  public var excel: Bool

  public init(excel: Bool = false) { self.excel = excel }

  public func text(header: [String], rows: [[String]]) -> String {
    let newline = excel ? "\r\n" : "\n"
    var output = excel ? "\u{FEFF}" : ""
    for row in [header] + rows {
      output += row.map(Self.quoted).joined(separator: ",") + newline
    }
    return output
  }

  static func quoted(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
