/// Turns rows of the bureaus' event table (the format of `Examples/data/events.csv`) into
/// event records: a row's scope is its prefecture when it names one, else its bureau.
public enum EventImport {
  public static let requiredColumns = [
    "id", "bureau", "prefecture", "fiscal_year", "kind", "title", "starts_on", "ends_on", "venue", "co_hosts",
    "participants", "status", "source",
  ]

  /// One row, validated; the error names the line and the field.
  public struct Row: Sendable, Hashable {
    public var line: Int
    public var event: Event
  }

  /// Reads every row, or throws at the first bad one without returning any.
  public static func rows(of table: CSVTable) throws(EventImportError) -> [Row] {
    let missing = requiredColumns.filter { !table.header.contains($0) }
    guard missing.isEmpty else {
      throw EventImportError(line: 1, message: "the header lacks \(missing.joined(separator: ", "))")
    }
    var seen: Set<String> = []
    var result: [Row] = []
    for (line, values) in table.namedRows {
      let event = try event(from: values, line: line)
      guard seen.insert(event.id.rawValue).inserted else {
        throw EventImportError(line: line, message: "id \(event.id) appears twice in the file")
      }
      result.append(Row(line: line, event: event))
    }
    return result
  }

  /// The fields an events file gives a record. A re-import compares only these with a record
  /// already stored: `notes` and `audience`, which the file has no column for, may have been
  /// added since without making the row differ.
  public static let fieldsFromTheFile = [
    "scope", "fiscal_year", "kind", "title", "starts_on", "ends_on", "venue", "co_hosts", "participants", "status", "source",
  ]

  /// How the event stored under a row's id differs from the row, one description per field
  /// the file gives (`title: "協議会" here, "在宅医療研修" in the file`); empty when the row
  /// holds what is stored, so importing it again would change nothing.
  public static func differences(of row: Event, fromStored stored: RecordFields) -> [String] {
    // Compared in normal form, as a record written by an older Renkei may lack a field.
    let storedFields = (try? Event(id: row.id, fields: stored))?.fields ?? stored
    let rowFields = row.fields
    return fieldsFromTheFile.compactMap { name in
      let here = storedFields[name] ?? .null
      let inFile = rowFields[name] ?? .null
      guard here != inFile else { return nil }
      return "\(name): \(shown(here)) here, \(shown(inFile)) in the file"
    }
  }

  private static func shown(_ value: FieldValue) -> String {
    switch value {
    case .null, .string(""), .strings([]): return "empty"
    default: return value.description
    }
  }

  static func event(from values: [String: String], line: Int) throws(EventImportError) -> Event {
    func value(_ name: String) -> String? {
      let raw = (values[name] ?? "").trimmingWhitespace
      return raw.isEmpty ? nil : raw
    }
    do throws(RecordValidationError) {
      guard let rawID = value("id") else { throw RecordValidationError(field: "id", reason: "is required") }
      let id = try RecordID(rawID)
      guard let bureauName = value("bureau") else { throw RecordValidationError(field: "bureau", reason: "is required") }
      guard let bureau = Bureau.named(bureauName) else {
        throw RecordValidationError(field: "bureau", reason: "\(bureauName.debugDescription) is not a bureau")
      }
      var scope = Scope.bureau(bureau)
      if let code = value("prefecture") {
        guard let prefecture = Prefecture.withCode(code) else {
          throw RecordValidationError(field: "prefecture", reason: "\(code.debugDescription) is not a JIS prefecture code")
        }
        guard prefecture.bureauID == bureau.id else {
          throw RecordValidationError(field: "prefecture", reason: "\(prefecture.nameJa) is not in the \(bureau.id) bureau")
        }
        scope = .prefecture(prefecture)
      }
      var fields: RecordFields = [
        "scope": .string(scope.rawValue), "kind": value("kind").map(FieldValue.string) ?? .null,
        "title": value("title").map(FieldValue.text) ?? .null, "starts_on": value("starts_on").map(FieldValue.string) ?? .null,
        "ends_on": value("ends_on").map(FieldValue.string) ?? .null, "venue": value("venue").map(FieldValue.text) ?? .null,
        "co_hosts": .set((values["co_hosts"] ?? "").split(separator: ";").map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }),
        "status": value("status").map(FieldValue.string) ?? .null, "source": value("source").map(FieldValue.text) ?? .null,
      ]
      if let year = value("fiscal_year") {
        guard let number = Int64(year) else {
          throw RecordValidationError(field: "fiscal_year", reason: "\(year.debugDescription) is not a year")
        }
        fields["fiscal_year"] = .integer(number)
      }
      if let count = value("participants") {
        guard let number = Int64(count) else {
          throw RecordValidationError(field: "participants", reason: "\(count.debugDescription) is not a whole number")
        }
        fields["participants"] = .integer(number)
      }
      return try Event(id: id, fields: fields)
    } catch {
      throw EventImportError(line: line, message: error.description)
    }
  }
}

/// A bad row of an event file, by line number.
public struct EventImportError: Error, Sendable, Equatable, CustomStringConvertible {
  public let line: Int
  public let message: String
  public var description: String { "line \(line): \(message)" }
}
