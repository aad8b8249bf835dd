// Byte classes from RFC 9110 §5.6 and RFC 3986 §2, used by the parser and serializer.

extension UInt8 {
  static let carriageReturn: UInt8 = 0x0D
  static let lineFeed: UInt8 = 0x0A
  static let space: UInt8 = 0x20
  static let horizontalTab: UInt8 = 0x09
  static let colon: UInt8 = 0x3A
  static let percent: UInt8 = 0x25
  static let slash: UInt8 = 0x2F
  static let questionMark: UInt8 = 0x3F

  var asciiLowercased: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }

  var asciiUppercased: UInt8 { (0x61...0x7A).contains(self) ? self & ~0x20 : self }

  var isASCIIDigit: Bool { (0x30...0x39).contains(self) }

  var isASCIIAlpha: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }

  var isHexDigit: Bool { isASCIIDigit || (0x41...0x46).contains(self) || (0x61...0x66).contains(self) }

  /// The value of a hexadecimal digit; only meaningful when ``isHexDigit``.
  var hexValue: UInt8 {
    if isASCIIDigit { return self - 0x30 }
    return (self | 0x20) - 0x61 + 10
  }

  /// SP or HTAB: the whitespace HTTP allows around field values (OWS).
  var isOptionalWhitespace: Bool { self == .space || self == .horizontalTab }

  /// tchar: a character allowed in a token such as a method or field name.
  var isTokenCharacter: Bool {
    if isASCIIAlpha || isASCIIDigit { return true }
    switch self {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
      UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
      UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
      UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
      return true
    default:
      return false
    }
  }

  /// A byte allowed inside a field value: VCHAR, obs-text, SP or HTAB (RFC 9110 §5.5).
  var isFieldValueCharacter: Bool {
    (0x21...0x7E).contains(self) || self >= 0x80 || isOptionalWhitespace
  }

  /// unreserved (RFC 3986 §2.3): a character a URI means the same by, sent plain or
  /// percent-encoded.
  var isUnreserved: Bool {
    isASCIIAlpha || isASCIIDigit || self == UInt8(ascii: "-") || self == UInt8(ascii: ".") || self == UInt8(ascii: "_")
      || self == UInt8(ascii: "~")
  }

  /// A byte allowed literally in a request-target: RFC 3986's unreserved, sub-delims,
  /// gen-delims except `#` (a fragment is never sent), and `%` for escapes.
  var isTargetCharacter: Bool {
    if isASCIIAlpha || isASCIIDigit { return true }
    switch self {
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
      UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"),
      UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
      UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: ":"),
      UInt8(ascii: "@"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "["),
      UInt8(ascii: "]"), UInt8(ascii: "%"):
      return true
    default:
      return false
    }
  }

  /// A byte allowed in a Host value: reg-name or IP-literal characters, `:` and a port.
  var isHostCharacter: Bool {
    isTargetCharacter && self != UInt8(ascii: "/") && self != UInt8(ascii: "?")
      && self != UInt8(ascii: "@")
  }
}

extension Collection where Element == UInt8 {
  /// The bytes without leading and trailing SP and HTAB.
  func trimmingOptionalWhitespace() -> SubSequence {
    let start = firstIndex { !$0.isOptionalWhitespace } ?? endIndex
    var end = endIndex
    var index = start
    while index != endIndex {
      if !self[index].isOptionalWhitespace { end = self.index(after: index) }
      index = self.index(after: index)
    }
    return self[start..<end]
  }
}
