/// Writes Renkei's own values as canonical JSON — sorted keys, no whitespace, slashes not
/// escaped — byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes for them, several times faster: encoding was most of
/// the cost of a merge at the hub and of applying a pulled record. Stored vectors are
/// compared as text, so the two must never differ; a test holds them equal on random values.
///
/// Callers write an object's keys sorted by Swift's `<`, which is the order `.sortedKeys`
/// gives; the writer puts the commas and colons.
public struct CanonicalJSONWriter {
  /// The UTF-8 bytes written so far. Bytes, not a `String`: appending to a string checks
  /// grapheme boundaries at every join, which made quoting the writer's largest cost.
  public private(set) var bytes: [UInt8] = []
  /// Whether the next key or value follows another in the same object or array.
  private var needsComma = false

  public init() { bytes.reserveCapacity(512) }

  /// What was written, as text.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public mutating func write(_ value: some CanonicalJSONEncodable) { value.writeCanonicalJSON(to: &self) }

  public mutating func beginObject() { open(UInt8(ascii: "{")) }
  public mutating func endObject() { close(UInt8(ascii: "}")) }
  public mutating func beginArray() { open(UInt8(ascii: "[")) }
  public mutating func endArray() { close(UInt8(ascii: "]")) }

  /// An object's key; its value is written next.
  public mutating func key(_ key: String) {
    separate()
    quote(key)
    bytes.append(UInt8(ascii: ":"))
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
    // Digits straight into the buffer: String(value) goes through a generic radix routine.
    if let small = Int64(exactly: value) {
      if small < 0 { bytes.append(UInt8(ascii: "-")) }
      var magnitude = small.magnitude
      let start = bytes.count
      repeat {
        bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        magnitude /= 10
      } while magnitude > 0
      bytes[start...].reverse()
    } else {
      append(String(value))
    }
    needsComma = true
  }

  public mutating func null() {
    separate()
    append("null")
    needsComma = true
  }

  public mutating func bool(_ value: Bool) {
    separate()
    append(value ? "true" : "false")
    needsComma = true
  }

  /// A value that is already canonical JSON, such as a fragment stored by an earlier write.
  public mutating func fragment(_ json: String) {
    separate()
    append(json)
    needsComma = true
  }

  private mutating func open(_ bracket: UInt8) {
    separate()
    bytes.append(bracket)
    needsComma = false
  }

  private mutating func close(_ bracket: UInt8) {
    bytes.append(bracket)
    needsComma = true
  }

  private mutating func separate() {
    if needsComma { bytes.append(UInt8(ascii: ",")) }
  }

  private mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  private mutating func quote(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      var plainStart = 0
      for index in utf8.indices {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default: append((byte < 0x10 ? "u000" : "u00") + String(byte, radix: 16))
        }
        plainStart = index + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
