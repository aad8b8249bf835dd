/// Says in words what is wrong with a JSON document a person wrote or a file holds, from
/// the error `JSONDecoder` threw: which field, and why, never the error's Swift type or
/// Foundation's debugging text about corrupted data.
public enum JSONProblem {
  public static func describe(_ error: any Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty:
      return "it is not valid JSON"
    case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
      return "it is not a JSON object"
    case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "\(path(context.codingPath)): \(context.debugDescription)"
    case DecodingError.keyNotFound(let key, let context):
      return "\(path(context.codingPath + [key])) is missing"
    default:
      return "it cannot be read as JSON"
    }
  }

  /// Where in the document, as a person writes it: `changes[0].site`, not Foundation's
  /// `changes.Index 0.site`.
  public static func path(_ keys: [any CodingKey]) -> String {
    keys.reduce(into: "") { path, key in
      if let index = key.intValue {
        path += "[\(index)]"
      } else {
        path += (path.isEmpty ? "" : ".") + key.stringValue
      }
    }
  }
}
