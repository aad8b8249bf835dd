extension HTTPRequest {
  /// The path with its percent-encoding normalized as RFC 3986 §6.2.2 does it: an escape of an
  /// unreserved character (a letter, digit, `-`, `.`, `_` or `~`) becomes the character, which
  /// it is equivalent to (§2.3), so `/records/%61b%2dc` gives `/records/ab-c`; any other escape
  /// stays, its hexadecimal digits in upper case (`%2f` gives `%2F`), because decoding it could
  /// change what the path says: `%2F` is data, not a segment separator.
  ///
  /// Some clients encode more than they must (Foundation's
  /// `addingPercentEncoding(withAllowedCharacters: .alphanumerics)` sends `-` as `%2D`), and a
  /// router that compares this form answers them as it answers everyone else.
  /// - Complexity: O(n) in the path's length; the path itself when it holds no `%`.
  public var normalizedPath: String {
    guard path.utf8.contains(.percent) else { return path }
    let sent = Array(path.utf8)
    var normalized: [UInt8] = []
    normalized.reserveCapacity(sent.count)
    var index = 0
    while index < sent.count {
      // The parser refused any `%` without two hexadecimal digits; one built otherwise stays as it is.
      guard sent[index] == .percent, index + 2 < sent.count, sent[index + 1].isHexDigit, sent[index + 2].isHexDigit else {
        normalized.append(sent[index])
        index += 1
        continue
      }
      let octet = sent[index + 1].hexValue << 4 | sent[index + 2].hexValue
      if octet.isUnreserved {
        normalized.append(octet)
      } else {
        normalized += [.percent, sent[index + 1].asciiUppercased, sent[index + 2].asciiUppercased]
      }
      index += 3
    }
    return String(decoding: normalized, as: UTF8.self)
  }
}
