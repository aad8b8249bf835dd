import RenkeiCommandLine
import RenkeiCore

/// Typed values of the options staff type, for every `renkei` command.
///
/// The rule all commands keep: a value that cannot be read as what its option takes (a
/// date, a fiscal year, an amount, a count, a kind, a status, an id) is a usage error —
/// `Error:` with the option, the text as typed and what is wrong, the usage line, exit 64 —
/// as swift-argument-parser reports an unparsable value. A value that reads fine but breaks
/// a rule of the records (ends before it starts, outside this replica's scope, a closed
/// year, an id that names nothing) is refused with one line and exit 1.
extension ParsedArguments {
  /// The date in option `name`, nil when the option is absent.
  func date(_ name: String) throws(CommandLineError) -> RecordDate? {
    guard let text = string(name) else { return nil }
    do { return try DateInput.parse(text) } catch { throw usageError("--\(name): \(error.message)") }
  }

  /// The date in option `name` as a field value: nil when absent, `null` for empty text (an
  /// edit clearing the field), else its ISO form.
  func dateField(_ name: String) throws(CommandLineError) -> FieldValue? {
    guard let text = string(name) else { return nil }
    if text.trimmingWhitespace.isEmpty { return .null }
    return .string(try date(name)!.iso)
  }

  /// The fiscal year in option `name` (2023, FY2023, 令和5年度, R5), nil when absent.
  func fiscalYear(_ name: String) throws(CommandLineError) -> FiscalYear? {
    guard let text = string(name) else { return nil }
    do { return try FiscalYearInput.parse(text) } catch { throw usageError("--\(name): \(error.message)") }
  }

  /// The amount in option `name` in whole yen (12,000,000, 1200万, 1.2億), nil when absent.
  /// - Parameter negativeRefusal: when a sign is not allowed, why, for the message.
  func yen(_ name: String, allowNegative: Bool, negativeRefusal: String = "") throws(CommandLineError) -> Int64? {
    guard let text = string(name) else { return nil }
    do {
      return try YenAmount.parse(text, allowNegative: allowNegative)
    } catch {
      throw usageError(
        "--\(name): \(error.message)\(negativeRefusal.isEmpty || !error.reason.contains("negative") ? "" : " (\(negativeRefusal))")")
    }
  }

  /// A whole count of 0 or more in option `name`, nil when absent.
  func count(_ name: String) throws(CommandLineError) -> Int64? {
    guard let text = string(name) else { return nil }
    let digits = TypedText.folded(text).replacingOccurrences(of: ",", with: "")
    guard let number = Int64(digits), number >= 0 else {
      throw usageError("--\(name): \(text.debugDescription) is not a count: write a whole number such as 48")
    }
    return number
  }

  /// The value of option `name` among `allowed` (every case of `T` when nil), nil when
  /// absent. Case, `_` and spaces are forgiven (`Case_Study` is `case-study`); anything else
  /// is refused, listing the choices.
  func choice<T: RawRepresentable & CaseIterable>(
    _ name: String, _ type: T.Type, what: String, among allowed: [T]? = nil
  ) throws(CommandLineError) -> T? where T.RawValue == String {
    guard let text = string(name) else { return nil }
    let choices = allowed ?? Array(T.allCases)
    if let value = T(rawValue: Self.foldedChoice(text)), choices.contains(where: { $0.rawValue == value.rawValue }) { return value }
    throw usageError("--\(name): \(text.debugDescription) is not \(what); use one of \(choices.map(\.rawValue).joined(separator: ", "))")
  }

  /// `text` as a choice's raw value would be written: lowercase, words joined by `-`.
  static func foldedChoice(_ text: String) -> String {
    TypedText.folded(text).lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
  }

  /// The record id in argument or option `name`.
  func recordID(_ name: String) throws(CommandLineError) -> RecordID {
    let raw = string(name) ?? ""
    do { return try RecordID(raw) } catch {
      throw usageError("\(raw.debugDescription) is not a record id: ids are lowercase letters, digits and '-', as list prints them")
    }
  }

  /// The scope in option `name`, nil when absent.
  func scope(_ name: String) throws(CommandLineError) -> Scope? {
    guard let raw = string(name) else { return nil }
    do { return try Scope(raw) } catch { throw usageError("--\(name): \(error.reason)") }
  }

  /// The text of option `name` as a field value: nil when absent, `null` for empty text
  /// (an edit clearing the field), else the text in NFC.
  func textField(_ name: String) -> FieldValue? {
    guard let value = string(name) else { return nil }
    return value.isEmpty ? .null : .text(value)
  }
}
