/// A CSV table read by RFC 4180's rules: comma-separated, fields quoted with `"` when
/// they hold commas, quotes or line breaks, `""` for a quote inside, CRLF or LF line ends.
public struct CSVTable: Sendable, Equatable {
  public var header: [String]
  /// The data rows, each with its 1-based line number in the file (the header is line 1).
  public var rows: [(line: Int, fields: [String])]

  public static func == (lhs: CSVTable, rhs: CSVTable) -> Bool {
    lhs.header == rhs.header && lhs.rows.map(\.line) == rhs.rows.map(\.line) && lhs.rows.map(\.fields) == rhs.rows.map(\.fields)
  }

  /// Parses `text`. A byte-order mark at the start is skipped (Excel writes one).
  public init(parsing text: String) throws(CSVError) {
    var records: [(line: Int, fields: [String])] = []
    var field = ""
    var fields: [String] = []
    var line = 1
    var recordLine = 1
    var inQuotes = false
    var afterQuote = false
    var scalars = Substring(text).unicodeScalars[...]
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var iterator = scalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    func endRecord() {
      fields.append(field)
      records.append((recordLine, fields))
      fields = []
      field = ""
    }
    while let scalar = pending ?? iterator.next() {
      pending = nil
      if inQuotes {
        if scalar == "\"" {
          let next = iterator.next()
          if next == "\"" {
            field.unicodeScalars.append("\"")
          } else {
            inQuotes = false
            afterQuote = true
            pending = next
          }
        } else {
          if scalar == "\n" { line += 1 }
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case ",":
        fields.append(field)
        field = ""
        afterQuote = false
      case "\r":
        let next = iterator.next()
        guard next == "\n" else { throw CSVError(line: line, reason: "a carriage return not followed by a line feed") }
        fallthrough
      case "\n":
        endRecord()
        afterQuote = false
        line += 1
        recordLine = line
      case "\"":
        guard field.isEmpty, !afterQuote else { throw CSVError(line: line, reason: "a quote inside an unquoted field") }
        inQuotes = true
      default:
        guard !afterQuote else { throw CSVError(line: line, reason: "text after a closing quote") }
        field.unicodeScalars.append(scalar)
      }
    }
    if inQuotes { throw CSVError(line: recordLine, reason: "a quoted field is not closed before the end of the file") }
    if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
    guard let first = records.first else { throw CSVError(line: 1, reason: "the file is empty: a header row is required") }
    header = first.fields
    rows = Array(records.dropFirst())
    for row in rows where row.fields.count != header.count {
      let width = row.fields.count == 1 ? "1 field" : "\(row.fields.count) fields"
      throw CSVError(line: row.line, reason: "has \(width), the header has \(header.count)")
    }
  }

  /// The rows as dictionaries by header name.
  public var namedRows: [(line: Int, values: [String: String])] {
    rows.map { row in (row.line, Dictionary(zip(header, row.fields), uniquingKeysWith: { first, _ in first })) }
  }
}

/// Why a CSV file could not be read, with the line it happened on.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
  public let line: Int
  public let reason: String
  public var description: String { "line \(line): \(reason)" }
}
