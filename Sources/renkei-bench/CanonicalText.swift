import RenkeiCore

/// The bytes `CanonicalJSON.encode` produces for the few shapes a bulk-filled hub stores
/// (record fields, a one-writer vector, a stamp, a create change), written directly.
///
/// Filling a hub with a million changes through JSONEncoder would take longer than the
/// whole benchmark may; these produce the same text much faster. ``LargeHub`` checks them
/// against `CanonicalJSON` and against the rows `Hub.push` itself writes before using them.
enum CanonicalText {
  static func fields(_ fields: RecordFields) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(1024)
    append(fields, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  static func vector(_ writer: WriterID, _ count: UInt64) -> String {
    "{\"\(writer.rawValue)\":\(count)}"
  }

  static func stamp(writer: WriterID, author: String, timestamp: HybridTimestamp) -> String {
    var bytes: [UInt8] = []
    append(raw: "{\"author\":", to: &bytes)
    append(string: author, to: &bytes)
    append(raw: ",\"timestamp\":\"\(timestamp.rawValue)\",\"writer\":\"\(writer.rawValue)\"}", to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A change's body, given its fields' and vector's text.
  static func change(_ change: Change, fieldsText: String, vectorText: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(fieldsText.utf8.count + 400)
    append(raw: "{\"author\":", to: &bytes)
    append(string: change.author, to: &bytes)
    append(raw: ",\"epoch\":\(change.origin.epoch),\"fields\":", to: &bytes)
    append(raw: fieldsText, to: &bytes)
    // Kinds, operations, record ids, scopes and site ids are plain ASCII with nothing to escape.
    append(
      raw: ",\"hlc\":\"\(change.timestamp.rawValue)\",\"kind\":\"\(change.kind.rawValue)\",\"op\":\"\(change.operation.rawValue)\"",
      to: &bytes)
    append(
      raw: ",\"record\":\"\(change.recordID.rawValue)\",\"scope\":\"\(change.scope.rawValue)\",\"sequence\":\(change.sequence)", to: &bytes)
    append(raw: ",\"site\":\"\(change.origin.site.rawValue)\",\"vector\":", to: &bytes)
    append(raw: vectorText, to: &bytes)
    bytes.append(UInt8(ascii: "}"))
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func append(_ fields: RecordFields, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "{"))
    for (offset, key) in fields.keys.sorted().enumerated() {
      if offset > 0 { bytes.append(UInt8(ascii: ",")) }
      append(string: key, to: &bytes)
      bytes.append(UInt8(ascii: ":"))
      switch fields[key]! {
      case .null: append(raw: "null", to: &bytes)
      case .integer(let number): append(raw: String(number), to: &bytes)
      case .string(let string): append(string: string, to: &bytes)
      case .strings(let strings):
        bytes.append(UInt8(ascii: "["))
        for (index, element) in strings.enumerated() {
          if index > 0 { bytes.append(UInt8(ascii: ",")) }
          append(string: element, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
      }
    }
    bytes.append(UInt8(ascii: "}"))
  }

  private static func append(raw text: String, to bytes: inout [UInt8]) {
    bytes.append(contentsOf: text.utf8)
  }

  /// JSONEncoder's escaping: quote, backslash and control characters; `/` left alone
  /// (`.withoutEscapingSlashes`); everything else as UTF-8.
  private static func append(string: String, to bytes: inout [UInt8]) {
    bytes.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
      case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
      case 0..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [
          UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
        ])
      default: bytes.append(byte)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
