// Reading the request line and field lines, and deciding the framing once the head ends.

extension HTTPRequestParser {
  /// Handles one line without its CRLF.
  ///
  /// - Returns: a complete request when the line ends a head that has no content.
  mutating func process(line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest? {
    switch phase {
    case .requestLine:
      // §2.2: a server SHOULD ignore at least one empty line before the request line.
      if line.isEmpty { return nil }
      head = try parseRequestLine(line)
      phase = .fields
      return nil
    case .fields:
      if line.isEmpty { return try finishHead() }
      try parseField(line)
      return nil
    case .body, .failed:
      preconditionFailure("lines are read only in the head")
    }
  }

  private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequestHead {
    if line.contains(.carriageReturn) {
      throw HTTPParseError(.bareCarriageReturn, message: "The request line contains a CR.")
    }
    let malformed = HTTPParseError(
      .malformedRequestLine, message: "The request line must be: method, space, target, space, HTTP version.")
    guard let firstSpace = line.firstIndex(of: .space),
      let secondSpace = line[(firstSpace + 1)...].firstIndex(of: .space)
    else { throw malformed }
    let methodBytes = line[..<firstSpace]
    let targetBytes = line[(firstSpace + 1)..<secondSpace]
    let versionBytes = line[(secondSpace + 1)...]
    guard !methodBytes.isEmpty, methodBytes.allSatisfy(\.isTokenCharacter), !targetBytes.isEmpty else {
      throw malformed
    }
    guard let version = Self.parseVersion(versionBytes) else { throw malformed }
    guard version == .http1_1 || version == .http1_0 else {
      throw HTTPParseError(.unsupportedVersion, message: "Only HTTP/1.1 and HTTP/1.0 are supported.")
    }
    guard let method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self)) else {
      throw HTTPParseError(.unsupportedMethod, message: "The method is not implemented.")
    }
    let parsedTarget: HTTPRequestTarget
    do {
      parsedTarget = try HTTPRequestTarget.parse(targetBytes, method: method)
    } catch {
      throw HTTPParseError(.invalidTarget, message: "Invalid request-target: \(error.reason).")
    }
    return HTTPRequestHead(
      method: method, target: String(decoding: targetBytes, as: UTF8.self), parsedTarget: parsedTarget,
      version: version)
  }

  /// `HTTP/` DIGIT `.` DIGIT, case-sensitive (RFC 9112 §2.3); nil if malformed.
  private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> HTTPVersion? {
    let bytes = Array(bytes)
    guard bytes.count == 8, bytes.starts(with: Array("HTTP/".utf8)), bytes[5].isASCIIDigit,
      bytes[6] == UInt8(ascii: "."), bytes[7].isASCIIDigit
    else { return nil }
    return HTTPVersion(major: Int(bytes[5] - 0x30), minor: Int(bytes[7] - 0x30))
  }

  /// `field-name ":" OWS field-value OWS` (RFC 9112 §5).
  private mutating func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
    if line.first!.isOptionalWhitespace {
      throw HTTPParseError(
        .obsoleteLineFolding, message: "A field line starts with whitespace (obsolete line folding is not accepted).")
    }
    if line.contains(.carriageReturn) {
      throw HTTPParseError(.bareCarriageReturn, message: "A field line contains a CR.")
    }
    guard let colon = line.firstIndex(of: .colon), colon > line.startIndex else {
      throw HTTPParseError(.malformedField, message: "A field line has no name or no colon.")
    }
    let name = line[..<colon]
    if name.last!.isOptionalWhitespace {
      throw HTTPParseError(.whitespaceBeforeColon, message: "A field name is followed by whitespace before its colon.")
    }
    guard name.allSatisfy(\.isTokenCharacter) else {
      throw HTTPParseError(.invalidFieldName, message: "A field name is not a token.")
    }
    let value = line[(colon + 1)...].trimmingOptionalWhitespace()
    guard value.allSatisfy(\.isFieldValueCharacter) else {
      throw HTTPParseError(.invalidFieldValue, message: "A field value contains a control character.")
    }
    head!.headers.add(name: String(decoding: name, as: UTF8.self), value: Self.decodeFieldValue(value))
  }

  /// Field values are ASCII in practice; UTF-8 is kept as such, and any other obs-text is
  /// read as ISO-8859-1 (RFC 9110 §5.5) so that no byte is lost or replaced.
  private static func decodeFieldValue(_ bytes: ArraySlice<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
  }

  /// Checks Host and decides the framing once the empty line is read.
  ///
  /// - Returns: the request when it has no content; otherwise nil, with the parser
  ///   waiting for `bodyLength` bytes.
  private mutating func finishHead() throws(HTTPParseError) -> HTTPRequest? {
    let current = head!
    let headers = current.headers

    let hosts = headers.values(for: "Host")
    if hosts.count > 1 {
      throw HTTPParseError(.multipleHosts, message: "The request has more than one Host field.")
    }
    if current.version == .http1_1 && hosts.isEmpty {
      throw HTTPParseError(.missingHost, message: "An HTTP/1.1 request must have a Host field.")
    }
    if let host = hosts.first, !host.utf8.allSatisfy(\.isHostCharacter) {
      throw HTTPParseError(.invalidHost, message: "The Host field is not a host and optional port.")
    }

    let lengths = headers.values(for: "Content-Length")
    if headers.contains(name: "Transfer-Encoding") {
      if !lengths.isEmpty {
        throw HTTPParseError(
          .contentLengthWithTransferEncoding, message: "The request has both Content-Length and Transfer-Encoding.")
      }
      if current.version == .http1_0 {
        throw HTTPParseError(.transferEncodingInHTTP10, message: "Transfer-Encoding is not valid in HTTP/1.0.")
      }
      throw HTTPParseError(
        .transferEncodingNotImplemented, message: "Transfer-Encoding is not implemented; send Content-Length.")
    }
    let length = try Self.contentLength(lengths)
    if length > maxBodyBytes {
      throw HTTPParseError(.contentTooLarge, message: "The content is larger than \(maxBodyBytes) bytes.")
    }

    keepAlive = HTTPRequest.defaultKeepAlive(version: current.version, headers: headers)
    if length == 0 {
      return current.request(body: [], keepAlive: keepAlive)
    }
    expectsContinue =
      current.version == .http1_1
      && headers.values(for: "Expect").contains { $0.lowercased() == "100-continue" }
    bodyLength = length
    phase = .body
    return nil
  }

  /// The one length named by every Content-Length line and list member (RFC 9112 §6.3):
  /// 0 when there is none; saturating at `Int.max`, which the body limit then refuses.
  private static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int {
    var length: Int?
    for value in values {
      for member in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
        let digits = member.trimmingOptionalWhitespace()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
          throw HTTPParseError(.invalidContentLength, message: "Content-Length is not a decimal number.")
        }
        var number = 0
        for digit in digits {
          let (shifted, overflowA) = number.multipliedReportingOverflow(by: 10)
          let (sum, overflowB) = shifted.addingReportingOverflow(Int(digit - 0x30))
          number = overflowA || overflowB ? Int.max : sum
          if number == Int.max { break }
        }
        if let length, length != number {
          throw HTTPParseError(.conflictingContentLength, message: "The request has differing Content-Length values.")
        }
        length = number
      }
    }
    return length ?? 0
  }
}
