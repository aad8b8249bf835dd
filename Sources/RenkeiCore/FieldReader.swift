/// Reads typed values out of ``RecordFields``, failing with the field's name and the reason.
struct FieldReader {
  let fields: RecordFields

  func requiredText(_ name: String, maxLength: Int = 500) throws(RecordValidationError) -> String {
    guard let value = try optionalText(name, maxLength: maxLength), !value.isEmpty else {
      throw RecordValidationError(field: name, reason: "is required")
    }
    return value
  }

  func optionalText(_ name: String, maxLength: Int = 500) throws(RecordValidationError) -> String? {
    switch fields[name] ?? .null {
    case .null: return nil
    case .string(let value):
      let trimmed = maxLength <= 500 ? value.trimmingWhitespace : value
      // Counting characters walks the whole text; no more bytes than the limit means no
      // more characters either.
      guard trimmed.utf8.count <= maxLength || trimmed.count <= maxLength else {
        throw RecordValidationError(field: name, reason: "is longer than \(maxLength) characters")
      }
      if trimmed.containsControlCharacter {
        throw RecordValidationError(field: name, reason: "contains a control character")
      }
      return trimmed.isEmpty ? nil : trimmed
    default: throw RecordValidationError(field: name, reason: "must be text, not \(fields[name]!)")
    }
  }

  /// Long text (notes, body): kept exactly as written, empty when absent.
  func longText(_ name: String) throws(RecordValidationError) -> String {
    try optionalText(name, maxLength: 1_000_000) ?? ""
  }

  func optionalInteger(_ name: String) throws(RecordValidationError) -> Int64? {
    switch fields[name] ?? .null {
    case .null: return nil
    case .integer(let value): return value
    default: throw RecordValidationError(field: name, reason: "must be a whole number, not \(fields[name]!)")
    }
  }

  func requiredInteger(_ name: String) throws(RecordValidationError) -> Int64 {
    guard let value = try optionalInteger(name) else { throw RecordValidationError(field: name, reason: "is required") }
    return value
  }

  func optionalDate(_ name: String) throws(RecordValidationError) -> RecordDate? {
    guard let text = try optionalText(name) else { return nil }
    do { return try RecordDate(iso: text) } catch { throw RecordValidationError(field: name, reason: error.message) }
  }

  func set(_ name: String) throws(RecordValidationError) -> [String] {
    switch fields[name] ?? .null {
    case .null: return []
    case .strings(let values):
      let cleaned = values.map { $0.trimmingWhitespace }
      if cleaned.contains(where: { $0.isEmpty }) { throw RecordValidationError(field: name, reason: "contains an empty entry") }
      if cleaned.contains(where: { $0.count > 200 }) {
        throw RecordValidationError(field: name, reason: "has an entry longer than 200 characters")
      }
      // A set read back from storage is sorted and unique already.
      if zip(cleaned, cleaned.dropFirst()).allSatisfy({ $0 < $1 }) { return cleaned }
      return Array(Set(cleaned)).sorted()
    default: throw RecordValidationError(field: name, reason: "must be a list of texts, not \(fields[name]!)")
    }
  }

  func choice<T: RawRepresentable>(_ name: String, _ type: T.Type, default fallback: T? = nil) throws(RecordValidationError) -> T
  where T.RawValue == String, T: CaseIterable {
    guard let raw = try optionalText(name) else {
      if let fallback { return fallback }
      throw RecordValidationError(field: name, reason: "is required (one of \(Self.names(T.self)))")
    }
    guard let value = T(rawValue: raw) else {
      throw RecordValidationError(field: name, reason: "\(raw.debugDescription) is not one of \(Self.names(T.self))")
    }
    return value
  }

  func scope() throws(RecordValidationError) -> Scope {
    guard let raw = try optionalText("scope") else { throw RecordValidationError(field: "scope", reason: "is required") }
    return try Scope(raw)
  }

  /// The fiscal year: derived from `date` when there is one, and then any given year must
  /// agree with it; required when the record is undated.
  func fiscalYear(derivedFrom date: RecordDate?, dateField: String) throws(RecordValidationError) -> FiscalYear {
    let given = try optionalInteger("fiscal_year")
    if let given, !(1900...2199).contains(given) {
      throw RecordValidationError(field: "fiscal_year", reason: "\(given) is out of range 1900–2199")
    }
    guard let date else {
      guard let given else {
        throw RecordValidationError(field: "fiscal_year", reason: "is required when \(dateField) is absent")
      }
      return FiscalYear(Int(given))
    }
    let derived = date.fiscalYear
    if let given, Int(given) != derived.startYear {
      throw RecordValidationError(
        field: "fiscal_year",
        reason: "\(given) disagrees with \(dateField) \(date.iso), which falls in \(derived.bothNames) (April–March)")
    }
    return derived
  }

  /// Names not in the kind's schema are refused, so a typo never silently drops data.
  func rejectUnknownFields(of kind: RecordKind) throws(RecordValidationError) {
    let known = kind.fieldClasses
    guard !fields.keys.allSatisfy({ known[$0] != nil }) else { return }
    if let unknown = fields.keys.sorted().first(where: { known[$0] == nil }) {
      throw RecordValidationError(field: unknown, reason: "is not a field of a \(kind) (fields: \(kind.fieldNames.joined(separator: ", ")))")
    }
  }

  private static func names<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> String where T.RawValue == String {
    T.allCases.map(\.rawValue).joined(separator: ", ")
  }
}

extension String {
  var trimmingWhitespace: String {
    // Most text has nothing to trim: answer it without copying.
    guard let first = unicodeScalars.first, let last = unicodeScalars.last,
      first.isWhiteSpace || last.isWhiteSpace
    else { return self }
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first.isWhiteSpace { scalars.removeFirst() }
    while let last = scalars.last, last.isWhiteSpace { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
  }
}

extension String {
  /// Whether the text holds a control character (general category Cc: exactly U+0000–U+001F
  /// and U+007F–U+009F) other than newline, tab and carriage return. Comparing code points
  /// spares a Unicode property lookup per character, and comparing UTF-8 bytes the scalar
  /// decoding: U+0000–U+001F and U+007F are single bytes, U+0080–U+009F are C2 80–C2 9F,
  /// and no byte of another scalar's encoding looks like either.
  var containsControlCharacter: Bool {
    var text = self
    return text.withUTF8 { utf8 in
      for (index, byte) in utf8.enumerated() {
        switch byte {
        case 0x0A, 0x09, 0x0D: continue
        case ..<0x20, 0x7F: return true
        case 0xC2 where (0x80...0x9F).contains(utf8[index + 1]): return true
        default: continue
        }
      }
      return false
    }
  }
}

extension Unicode.Scalar {
  /// Unicode's White_Space property, from its list of 25 code points: the same answer as
  /// `properties.isWhitespace` (a test checks every scalar) without a property lookup,
  /// which cost a fifth of validating a record.
  var isWhiteSpace: Bool {
    switch value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
    default: false
    }
  }
}
