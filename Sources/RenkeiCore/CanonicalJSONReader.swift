/// Reads Renkei's own values back from the canonical JSON ``CanonicalJSONWriter`` writes,
/// without going through `Decoder`: decoding stored states, vectors and stamps with
/// `JSONDecoder` was the largest cost of a merge at the hub and of an edit in a replica.
///
/// It is a fast path, not a second definition of the format. It accepts well-formed JSON
/// in the shapes it is asked for and gives up with ``Unexpected`` on anything else — a
/// number with a fraction or an exponent, a duplicate key, a missing or unknown member,
/// malformed text. Callers then decode the same text with `JSONDecoder`, so what is
/// accepted, what a value decodes to and every error message stay `JSONDecoder`'s.
///
/// The reader sees the text's UTF-8 bytes only inside ``read(_:_:)``: the text is valid
/// UTF-8 because it is a Swift `String`, or because ``CanonicalJSON`` checked the bytes.
public struct CanonicalJSONReader: ~Copyable {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var position = 0
  /// Whether the reader stands just after `{` or `[`, where no comma comes before the first
  /// member or element.
  private var atFirstMember = false

  private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// Runs `body` on a reader of `text` and checks nothing but whitespace follows the value
  /// it read.
  public static func read<T>(_ text: String, _ body: (inout CanonicalJSONReader) throws(Unexpected) -> T) throws(Unexpected) -> T {
    var text = text
    let result: Result<T, Unexpected> = text.withUTF8 { bytes in
      Result { () throws(Unexpected) in try read(validUTF8: bytes, body) }
    }
    return try result.get()
  }

  /// The same, on bytes the caller has checked are valid UTF-8 (see
  /// ``CanonicalJSON/decode(_:fromUTF8:)``): a stored value read where SQLite holds it.
  static func read<T>(
    validUTF8 bytes: UnsafeBufferPointer<UInt8>, _ body: (inout CanonicalJSONReader) throws(Unexpected) -> T
  ) throws(Unexpected) -> T {
    var reader = CanonicalJSONReader(bytes)
    let value = try body(&reader)
    reader.skipWhitespace()
    guard reader.position == bytes.count else { throw Unexpected() }
    return value
  }

  // MARK: Objects and arrays

  public mutating func beginObject() throws(Unexpected) {
    try expect(UInt8(ascii: "{"))
    atFirstMember = true
  }

  /// The next member's key, after its colon; nil once the closing brace is read.
  public mutating func nextKey() throws(Unexpected) -> String? {
    guard try nextMember(closing: UInt8(ascii: "}")) else { return nil }
    let key = try string()
    try expect(UInt8(ascii: ":"))
    return key
  }

  public mutating func beginArray() throws(Unexpected) {
    try expect(UInt8(ascii: "["))
    atFirstMember = true
  }

  /// Whether another element follows (its comma read); false once the closing bracket is read.
  public mutating func nextElement() throws(Unexpected) -> Bool {
    try nextMember(closing: UInt8(ascii: "]"))
  }

  private mutating func nextMember(closing: UInt8) throws(Unexpected) -> Bool {
    skipWhitespace()
    guard position < bytes.count else { throw Unexpected() }
    if bytes[position] == closing {
      position += 1
      atFirstMember = false
      return false
    }
    if atFirstMember {
      atFirstMember = false
    } else {
      try expect(UInt8(ascii: ","))
    }
    return true
  }

  /// An array, each element read by `element`.
  public mutating func array<T>(_ element: (inout CanonicalJSONReader) throws(Unexpected) -> T) throws(Unexpected) -> [T] {
    var elements: [T] = []
    try beginArray()
    while try nextElement() { elements.append(try element(&self)) }
    return elements
  }

  // MARK: Values

  /// The next value's first byte, without reading it.
  public mutating func peek() throws(Unexpected) -> UInt8 {
    skipWhitespace()
    guard position < bytes.count else { throw Unexpected() }
    return bytes[position]
  }

  /// Reads `null` if it comes next.
  public mutating func null() throws(Unexpected) -> Bool {
    guard try peek() == UInt8(ascii: "n") else { return false }
    try literal("null")
    return true
  }

  public mutating func bool() throws(Unexpected) -> Bool {
    if try peek() == UInt8(ascii: "t") {
      try literal("true")
      return true
    }
    try literal("false")
    return false
  }

  /// An integer written as JSON writes integers: an optional minus, then digits without a
  /// leading zero. A fraction or an exponent is left to `JSONDecoder`.
  public mutating func integer() throws(Unexpected) -> Int64 {
    skipWhitespace()
    let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
    if negative { position += 1 }
    let magnitude = try digits()
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { throw Unexpected() }
      return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { throw Unexpected() }
    return Int64(magnitude)
  }

  public mutating func unsignedInteger() throws(Unexpected) -> UInt64 {
    skipWhitespace()
    return try digits()
  }

  private mutating func digits() throws(Unexpected) -> UInt64 {
    let start = position
    var value: UInt64 = 0
    while position < bytes.count, case let digit = bytes[position] &- UInt8(ascii: "0"), digit < 10 {
      let (times10, overflowTimes) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowPlus) = times10.addingReportingOverflow(UInt64(digit))
      guard !overflowTimes && !overflowPlus else { throw Unexpected() }
      value = sum
      position += 1
    }
    let count = position - start
    guard count > 0, count == 1 || bytes[start] != UInt8(ascii: "0") else { throw Unexpected() }
    if position < bytes.count {
      switch bytes[position] {
      case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw Unexpected()
      default: break
      }
    }
    return value
  }

  /// A string literal, its escapes undone. Unescaped control characters are not JSON.
  public mutating func string() throws(Unexpected) -> String {
    skipWhitespace()
    try expect(UInt8(ascii: "\""))
    let start = position
    // Most strings have no escape: they are copied straight from the text.
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        // The text is valid UTF-8 (see the type's note) and the literal ends at ASCII
        // quotes, so its bytes are too: the string is made without checking them again,
        // which was a share of decoding every stored record.
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<position])
        let value = String(copying: UTF8Span(unchecked: literal.span, isKnownASCII: false))
        position += 1
        return value
      }
      if byte == UInt8(ascii: "\\") { break }
      guard byte >= 0x20 else { throw Unexpected() }
      position += 1
    }
    var unescaped = Array(bytes[start..<position])
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(decoding: unescaped, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try unescape(into: &unescaped)
      case ..<0x20:
        throw Unexpected()
      default:
        unescaped.append(byte)
      }
    }
    throw Unexpected()
  }

  private mutating func unescape(into output: inout [UInt8]) throws(Unexpected) {
    guard position < bytes.count else { throw Unexpected() }
    let escape = bytes[position]
    position += 1
    switch escape {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
    case UInt8(ascii: "n"): output.append(0x0A)
    case UInt8(ascii: "r"): output.append(0x0D)
    case UInt8(ascii: "t"): output.append(0x09)
    case UInt8(ascii: "b"): output.append(0x08)
    case UInt8(ascii: "f"): output.append(0x0C)
    case UInt8(ascii: "u"):
      var scalar = try hexQuad()
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate must pair with a low one to make one scalar.
        try literal("\\u")
        let low = try hexQuad()
        guard (0xDC00..<0xE000).contains(low) else { throw Unexpected() }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw Unexpected() }
      output.append(contentsOf: UTF8.encode(unicode)!)
    default:
      throw Unexpected()
    }
  }

  private mutating func hexQuad() throws(Unexpected) -> UInt32 {
    guard position + 4 <= bytes.count else { throw Unexpected() }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw Unexpected()
      }
      value = value << 4 | UInt32(digit)
      position += 1
    }
    return value
  }

  // MARK: Bytes

  private mutating func literal(_ word: StaticString) throws(Unexpected) {
    let count = word.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw Unexpected() }
    for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { throw Unexpected() }
    position += count
  }

  private mutating func expect(_ byte: UInt8) throws(Unexpected) {
    skipWhitespace()
    guard position < bytes.count, bytes[position] == byte else { throw Unexpected() }
    position += 1
  }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }
}
