/// A request's Accept-Encoding (RFC 9110 §12.5.3): which content codings the client takes
/// for the response, each with its weight.
///
/// ```swift
/// HTTPAcceptEncoding(["gzip;q=0.5, identity"]).prefersGzip   // false: identity weighs more
/// HTTPAcceptEncoding(["gzip;q=0"]).prefersGzip               // false: gzip refused
/// HTTPAcceptEncoding(["*"]).prefersGzip                      // true
/// HTTPAcceptEncoding([]).prefersGzip                         // false: no field, no coding
/// ```
public struct HTTPAcceptEncoding: Sendable, Hashable {
  /// Each listed coding, lowercased, with its weight 0…1; elements that do not parse are
  /// left out, as if not sent.
  public let weights: [String: Double]

  /// Parses the values of every Accept-Encoding field.
  public init(_ fieldValues: [String]) {
    var weights: [String: Double] = [:]
    for value in fieldValues {
      for element in value.split(separator: ",") {
        let parts = element.split(separator: ";", omittingEmptySubsequences: false).map { Self.trimmed($0) }
        guard let coding = parts.first, !coding.isEmpty, coding.utf8.allSatisfy(\.isTokenCharacter) else { continue }
        var weight = 1.0
        var isValid = true
        for parameter in parts.dropFirst() {
          guard parameter.lowercased().hasPrefix("q="), let parsed = Self.qvalue(parameter.dropFirst(2)) else {
            isValid = false
            break
          }
          weight = parsed
        }
        // Repeated codings keep the highest weight: the client accepts it at least that much.
        if isValid { weights[coding.lowercased()] = max(weight, weights[coding.lowercased()] ?? 0) }
      }
    }
    self.weights = weights
  }

  /// Whether a response should be sent gzip-coded: gzip (or its alias x-gzip, or `*`) is
  /// acceptable with a weight above 0, and at least as high as any weight the client gave
  /// identity (by name, or else by `*`). A request without the field gets no coding: RFC
  /// 9110 would allow any, but clients that send none seldom decode one.
  public var prefersGzip: Bool {
    let gzipWeight = weights["gzip"] ?? weights["x-gzip"] ?? weights["*"] ?? 0
    guard gzipWeight > 0 else { return false }
    // `*` stands for every coding not listed, identity included (RFC 9110 §12.5.3).
    guard let identityWeight = weights["identity"] ?? weights["*"] else { return true }
    return gzipWeight >= identityWeight
  }

  private static func trimmed(_ text: Substring) -> String {
    String(decoding: Array(text.utf8).trimmingOptionalWhitespace(), as: UTF8.self)
  }

  /// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
  private static func qvalue(_ text: Substring) -> Double? {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else { return nil }
    if bytes.count == 1 { return first == UInt8(ascii: "1") ? 1 : 0 }
    let decimals = bytes.dropFirst(2)
    guard bytes[1] == UInt8(ascii: "."), decimals.count <= 3, decimals.allSatisfy(\.isASCIIDigit) else { return nil }
    if first == UInt8(ascii: "1") { return decimals.allSatisfy { $0 == UInt8(ascii: "0") } ? 1 : nil }
    return Double(String(decoding: bytes, as: UTF8.self))
  }
}
