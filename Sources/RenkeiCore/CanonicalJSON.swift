import Foundation

/// JSON with sorted keys and no escaped slashes: the same value always gives the same
/// bytes, so stored vectors and states can be compared and hashed as text.
public enum CanonicalJSON {
  public static func encode<T: Encodable>(_ value: T) throws -> String {
    // Renkei's own stored values have a direct writer that gives the same bytes.
    if let value = value as? any CanonicalJSONEncodable { return written(value) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// The same, chosen whenever the type is known to have a direct writer: no dynamic cast.
  public static func encode<T: CanonicalJSONEncodable>(_ value: T) throws -> String { written(value) }

  /// The same as the generic decode, chosen whenever the type is known to have a direct
  /// reader: no dynamic casts on the path every stored value takes.
  public static func decode<T: CanonicalJSONDecodable>(_ type: T.Type, from text: String) throws -> T {
    if let value = T.read(canonicalJSON: text) { return value }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }

  /// The same as decoding `String(decoding: bytes, as: UTF8.self)`, without building that
  /// string: stored text is read where the database holds it. Bytes that are not valid
  /// UTF-8 take the string's path, so they decode (or fail) as its repaired text would.
  public static func decode<T: CanonicalJSONDecodable>(_ type: T.Type, fromUTF8 bytes: UnsafeBufferPointer<UInt8>) throws -> T {
    guard (try? UTF8Span(validating: bytes.span)) != nil else { return try decode(type, from: String(decoding: bytes, as: UTF8.self)) }
    if let value = T.read(canonicalJSONUTF8: bytes) { return value }
    // Valid UTF-8 is its own string's bytes: JSONDecoder gets what the string path gives it.
    return try JSONDecoder().decode(type, from: Data(buffer: bytes))
  }

  public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    if let value = read(type, from: text) { return value }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }

  /// Decodes JSON that came from outside, such as a request body: the same values and
  /// errors as `JSONDecoder`, which also decides whenever the bytes are not valid UTF-8.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    if let text = String(validating: data, as: UTF8.self), let value = read(type, from: text) { return value }
    return try JSONDecoder().decode(type, from: data)
  }

  /// The bytes of `encode(_:)`'s text, for a caller that hands them on as they are (binding
  /// to SQLite) and would only pay for a String in between.
  public static func encodedUTF8(_ value: some CanonicalJSONEncodable) -> [UInt8] { writer(value).bytes }

  private static func written(_ value: some CanonicalJSONEncodable) -> String { writer(value).text }

  private static func writer(_ value: some CanonicalJSONEncodable) -> CanonicalJSONWriter {
    var json = CanonicalJSONWriter()
    json.write(value)
    return json
  }

  /// Renkei's own values have a direct reader; what it does not expect is left to
  /// JSONDecoder, so the result and any error are JSONDecoder's.
  private static func read<T: Decodable>(_ type: T.Type, from text: String) -> T? {
    (type as? any CanonicalJSONDecodable.Type)?.read(canonicalJSON: text) as? T
  }
}
