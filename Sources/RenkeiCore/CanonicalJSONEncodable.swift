/// A value ``CanonicalJSONWriter`` writes directly, as `JSONEncoder` would encode it with
/// sorted keys, without going through `Encoder`.
public protocol CanonicalJSONEncodable: Encodable {
  func writeCanonicalJSON(to json: inout CanonicalJSONWriter)
}

extension FieldValue: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    switch self {
    case .null: json.null()
    case .string(let value): json.string(value)
    case .integer(let value): json.integer(value)
    case .strings(let values):
      json.beginArray()
      for value in values { json.string(value) }
      json.endArray()
    }
  }
}

extension Dictionary: CanonicalJSONEncodable where Key == String, Value == FieldValue {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    for (key, value) in sorted(by: { $0.key < $1.key }) {
      json.key(key)
      value.writeCanonicalJSON(to: &json)
    }
    json.endObject()
  }
}

extension VersionVector: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    for (key, value) in counters.map({ ($0.key.rawValue, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
      json.key(key)
      json.integer(value)
    }
    json.endObject()
  }
}

extension VersionStamp: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    json.key("author")
    json.string(author)
    json.key("timestamp")
    json.string(timestamp.rawValue)
    json.key("writer")
    json.string(writer.rawValue)
    json.endObject()
  }
}

extension Change: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    json.key("author")
    json.string(author)
    json.key("epoch")
    json.integer(origin.epoch)
    json.key("fields")
    fields.writeCanonicalJSON(to: &json)
    json.key("hlc")
    json.string(timestamp.rawValue)
    json.key("kind")
    json.string(kind.rawValue)
    json.key("op")
    json.string(operation.rawValue)
    json.key("record")
    json.string(recordID.rawValue)
    json.key("scope")
    json.string(scope.rawValue)
    json.key("sequence")
    json.integer(sequence)
    json.key("site")
    json.string(origin.site.rawValue)
    json.key("vector")
    vector.writeCanonicalJSON(to: &json)
    json.endObject()
  }
}

extension Array: CanonicalJSONEncodable where Element: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginArray()
    for element in self { element.writeCanonicalJSON(to: &json) }
    json.endArray()
  }
}

extension RecordID: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) { json.string(rawValue) }
}

extension RecordState: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    json.key("deleted")
    json.bool(deleted)
    json.key("fields")
    fields.writeCanonicalJSON(to: &json)
    json.endObject()
  }
}

extension RecordVersion: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    json.key("kind")
    json.string(kind.rawValue)
    json.key("recordID")
    json.string(recordID.rawValue)
    json.key("stamp")
    stamp.writeCanonicalJSON(to: &json)
    json.key("state")
    state.writeCanonicalJSON(to: &json)
    json.key("vector")
    vector.writeCanonicalJSON(to: &json)
    json.endObject()
  }
}

extension FieldConflict: CanonicalJSONEncodable {
  public func writeCanonicalJSON(to json: inout CanonicalJSONWriter) {
    json.beginObject()
    json.key("field")
    json.string(field)
    json.key("rule")
    json.string(rule.rawValue)
    json.endObject()
  }
}
