/// A request-target split into the parts a handler routes on (RFC 9112 §3.2).
///
/// Accepted forms: origin-form (`/path?query`), absolute-form (`http://host/path?query`,
/// which a server must accept), and asterisk-form (`*`) for OPTIONS only. Authority-form is
/// used only by CONNECT, which this server does not implement.
struct HTTPRequestTarget: Sendable, Hashable {
  /// The path as received, still percent-encoded; `*` for asterisk-form.
  var path: String
  /// The path split on `/`, each segment percent-decoded; `/` gives `[]`.
  var pathSegments: [String]
  /// The query as received, still percent-encoded, without the `?`; nil when absent.
  var query: String?
  var queryItems: [HTTPQueryItem]

  /// Why a target was refused; the parser reports it as 400.
  struct Failure: Error {
    let reason: String
  }

  /// Parses a target's bytes, checking that every byte is allowed, every `%` starts a
  /// two-digit escape, and every decoded segment, name and value is UTF-8.
  static func parse(_ bytes: some Collection<UInt8>, method: HTTPMethod) throws(Failure) -> HTTPRequestTarget {
    let bytes = Array(bytes)
    guard !bytes.isEmpty else { throw Failure(reason: "the request-target is empty") }
    guard bytes.allSatisfy(\.isTargetCharacter) else {
      throw Failure(reason: "the request-target contains a character that must be percent-encoded")
    }
    try checkEscapes(bytes)

    if bytes == [UInt8(ascii: "*")] {
      guard method == .options else { throw Failure(reason: "only OPTIONS may use the asterisk-form target") }
      return HTTPRequestTarget(path: "*", pathSegments: [], query: nil, queryItems: [])
    }

    let pathAndQuery: ArraySlice<UInt8>
    if bytes.first == .slash {
      pathAndQuery = bytes[...]
    } else if let afterAuthority = absoluteFormRemainder(bytes) {
      pathAndQuery = afterAuthority
    } else {
      throw Failure(reason: "the request-target is neither a path nor an absolute http(s) URI")
    }

    let queryStart = pathAndQuery.firstIndex(of: .questionMark)
    var pathBytes = pathAndQuery[..<(queryStart ?? pathAndQuery.endIndex)]
    if pathBytes.isEmpty { pathBytes = [.slash] }
    let queryBytes = queryStart.map { pathAndQuery[pathAndQuery.index(after: $0)...] }

    return HTTPRequestTarget(
      path: String(decoding: pathBytes, as: UTF8.self),
      pathSegments: try decodeSegments(pathBytes),
      query: queryBytes.map { String(decoding: $0, as: UTF8.self) },
      queryItems: try queryBytes.map(decodeQuery) ?? []
    )
  }

  private static func checkEscapes(_ bytes: [UInt8]) throws(Failure) {
    var index = 0
    while index < bytes.count {
      if bytes[index] == .percent {
        guard index + 2 < bytes.count, bytes[index + 1].isHexDigit, bytes[index + 2].isHexDigit else {
          throw Failure(reason: "the request-target has a % not followed by two hexadecimal digits")
        }
        index += 3
      } else {
        index += 1
      }
    }
  }

  /// For `http://authority/rest` or `https://…`, the bytes from the first `/` or `?`
  /// after the authority; nil when the bytes are not such a URI.
  private static func absoluteFormRemainder(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
    let lowered = bytes.prefix(8).map(\.asciiLowercased)
    let schemeLength: Int
    if lowered.starts(with: Array("http://".utf8)) {
      schemeLength = 7
    } else if lowered.starts(with: Array("https://".utf8)) {
      schemeLength = 8
    } else {
      return nil
    }
    let rest = bytes[schemeLength...]
    let authorityEnd = rest.firstIndex { $0 == .slash || $0 == .questionMark } ?? rest.endIndex
    guard authorityEnd > rest.startIndex else { return nil }
    return bytes[authorityEnd...]
  }

  private static func decodeSegments(_ path: ArraySlice<UInt8>) throws(Failure) -> [String] {
    var segments = path.split(separator: .slash, omittingEmptySubsequences: false)
    // The leading `/` makes an empty first segment that means nothing.
    if segments.first?.isEmpty == true { segments.removeFirst() }
    if segments == [[]] { return [] }
    var decoded: [String] = []
    decoded.reserveCapacity(segments.count)
    for segment in segments {
      decoded.append(try percentDecoded(segment, what: "a path segment"))
    }
    return decoded
  }

  private static func decodeQuery(_ query: ArraySlice<UInt8>) throws(Failure) -> [HTTPQueryItem] {
    var items: [HTTPQueryItem] = []
    for pair in query.split(separator: UInt8(ascii: "&")) {
      if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
        items.append(
          HTTPQueryItem(
            name: try percentDecoded(pair[..<equals], what: "a query name"),
            value: try percentDecoded(pair[pair.index(after: equals)...], what: "a query value")
          )
        )
      } else {
        items.append(HTTPQueryItem(name: try percentDecoded(pair, what: "a query name"), value: nil))
      }
    }
    return items
  }

  /// Decodes `%HH` escapes (already checked well-formed) and requires UTF-8.
  static func percentDecoded(_ bytes: ArraySlice<UInt8>, what: String) throws(Failure) -> String {
    var decoded: [UInt8] = []
    decoded.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    while index < bytes.endIndex {
      let byte = bytes[index]
      // Escapes were checked over the whole target, and hex digits are never a separator,
      // so an escape never straddles the end of a slice; the bound check is for safety.
      if byte == .percent, index + 2 < bytes.endIndex, bytes[index + 1].isHexDigit,
        bytes[index + 2].isHexDigit
      {
        decoded.append(bytes[index + 1].hexValue << 4 | bytes[index + 2].hexValue)
        index += 3
      } else {
        decoded.append(byte)
        index += 1
      }
    }
    guard let string = String(validating: decoded, as: UTF8.self) else {
      throw Failure(reason: "\(what) does not decode to UTF-8")
    }
    return string
  }
}
