/// Writes Renkei's own values as canonical JSON — sorted keys, no whitespace, slashes not
/// escaped — byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes for them, several times faster: encoding was most of
/// the cost of a merge at the hub and of applying a pulled record. Stored vectors are
/// compared as text, so the two must never differ; a test holds them equal on random values.
///
/// Callers write an object's keys sorted by Swift's `<`, which is the order `.sortedKeys`
/// gives; the writer puts the commas and colons.
public struct CanonicalJSONWriter {
  public private(set) var text = ""
  /// Whether the next key or value follows another in the same object or array.
  private var needsComma = false

  public init() {}

  public mutating func write(_ value: some CanonicalJSONEncodable) { value.writeCanonicalJSON(to: &self) }

  public mutating func beginObject() { open("{") }
  public mutating func endObject() { close("}") }
  public mutating func beginArray() { open("[") }
  public mutating func endArray() { close("]") }

  /// An object's key; its value is written next.
  public mutating func key(_ key: String) {
    separate()
    quote(key)
    text += ":"
    needsComma = false
  }

  /// A string literal, escaped as `JSONEncoder` escapes: quote, backslash, the named
  /// control escapes, other control characters as `\u00xx`; everything else as it is.
  public mutating func string(_ value: String) {
    separate()
    quote(value)
    needsComma = true
  }

  public mutating func integer(_ value: some BinaryInteger) {
    separate()
    text += String(value)
    needsComma = true
  }

  public mutating func null() {
    separate()
    text += "null"
    needsComma = true
  }

  public mutating func bool(_ value: Bool) {
    separate()
    text += value ? "true" : "false"
    needsComma = true
  }

  /// A value that is already canonical JSON, such as a fragment stored by an earlier write.
  public mutating func fragment(_ json: String) {
    separate()
    text += json
    needsComma = true
  }

  private mutating func open(_ bracket: String) {
    separate()
    text += bracket
    needsComma = false
  }

  private mutating func close(_ bracket: String) {
    text += bracket
    needsComma = true
  }

  private mutating func separate() {
    if needsComma { text += "," }
  }

  private mutating func quote(_ value: String) {
    text += "\""
    let utf8 = value.utf8
    var plainStart = utf8.startIndex
    for index in utf8.indices {
      let byte = utf8[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      text += value[plainStart..<index]
      switch byte {
      case UInt8(ascii: "\""): text += "\\\""
      case UInt8(ascii: "\\"): text += "\\\\"
      case 0x0A: text += "\\n"
      case 0x0D: text += "\\r"
      case 0x09: text += "\\t"
      case 0x08: text += "\\b"
      case 0x0C: text += "\\f"
      default: text += (byte < 0x10 ? "\\u000" : "\\u00") + String(byte, radix: 16)
      }
      plainStart = utf8.index(after: index)
    }
    text += value[plainStart...]
    text += "\""
  }
}
