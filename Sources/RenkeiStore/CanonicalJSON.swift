import Foundation
import RenkeiCore

/// JSON with sorted keys and no escaped slashes: the same value always gives the same
/// bytes, so stored vectors and states can be compared and hashed as text.
public enum CanonicalJSON {
  public static func encode<T: Encodable>(_ value: T) throws -> String {
    // Renkei's own stored values have a direct writer that gives the same bytes.
    if let value = value as? any CanonicalJSONEncodable {
      var json = CanonicalJSONWriter()
      json.write(value)
      return json.text
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
    // Renkei's own stored values have a direct reader; what it does not expect, JSONDecoder
    // decodes, so the result and any error are JSONDecoder's.
    if let readable = type as? any CanonicalJSONDecodable.Type,
      let value = try? CanonicalJSONReader.read(text, { json throws(CanonicalJSONReader.Unexpected) in
        try readable.init(readingCanonicalJSON: &json)
      })
    {
      return value as! T
    }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }
}
