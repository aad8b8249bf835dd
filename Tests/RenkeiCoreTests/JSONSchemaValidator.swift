import Foundation

/// A JSON document as the schema validator sees it.
enum JSONValue: Sendable, Hashable, Decodable, CustomStringConvertible {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Parses JSON text.
  static func parse(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
  }

  /// The JSON an `Encodable` value encodes to with Foundation's encoder.
  static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
  }

  var description: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return String(value)
    case .integer(let value): return String(value)
    case .number(let value): return String(value)
    case .string(let value): return value.debugDescription
    case .array(let values): return "[" + values.map(\.description).joined(separator: ",") + "]"
    case .object(let members):
      return "{" + members.keys.sorted().map { "\($0.debugDescription):\(members[$0]!)" }.joined(separator: ",") + "}"
    }
  }

  /// The value as a number, for `minimum` and `maximum`.
  var numericValue: Double? {
    switch self {
    case .integer(let value): return Double(value)
    case .number(let value): return value
    default: return nil
    }
  }

  /// JSON Schema equality: numbers compare by value (1 equals 1.0), objects ignore key order.
  func schemaEquals(_ other: JSONValue) -> Bool {
    switch (self, other) {
    case (.integer(let lhs), .integer(let rhs)): return lhs == rhs
    case (.integer, .number), (.number, .integer), (.number, .number): return numericValue == other.numericValue
    case (.array(let lhs), .array(let rhs)):
      return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.schemaEquals($1) }
    case (.object(let lhs), .object(let rhs)):
      return lhs.count == rhs.count && lhs.allSatisfy { key, value in rhs[key].map(value.schemaEquals) ?? false }
    default: return self == other
    }
  }

  subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members[key] }
    return nil
  }
}

/// A small validator for the subset of JSON Schema (draft 2020-12) that `Protocol/schemas/`
/// uses: `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`,
/// `propertyNames`, `minProperties`, `maxProperties`, `items`, `uniqueItems`, `minimum`,
/// `maximum`, `minLength`, `maxLength`, `pattern`, `oneOf` and `$ref` (to `#/pointer`, to a
/// sibling file, or to `file#/pointer`). Annotations are ignored. Any other keyword is an
/// error, so a schema can never silently rely on something this validator skips.
struct JSONSchemaValidator: Sendable {
  /// A schema this validator cannot apply: an unsupported keyword, a `$ref` that does not
  /// resolve, a pattern that does not compile.
  struct SchemaError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  static let assertions: Set<String> = [
    "type", "enum", "const", "properties", "required", "additionalProperties", "propertyNames", "minProperties",
    "maxProperties", "items", "uniqueItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "oneOf", "$ref",
  ]
  static let annotations: Set<String> = ["$schema", "$id", "$defs", "$comment", "title", "description", "examples"]
  static let typeNames: Set<String> = ["null", "boolean", "object", "array", "string", "integer", "number"]

  /// Schema documents by file name.
  let documents: [String: JSONValue]

  init(documents: [String: JSONValue]) {
    self.documents = documents
  }

  /// Loads every `*.json` file of `directory`.
  init(directory: URL) throws {
    var documents: [String: JSONValue] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".json") {
      let data = try Data(contentsOf: directory.appendingPathComponent(name))
      documents[name] = try JSONDecoder().decode(JSONValue.self, from: data)
    }
    self.init(documents: documents)
  }

  // MARK: Validating

  /// Validates `instance` against the schema `reference` names (`change.schema.json`,
  /// `change.schema.json#/$defs/date`). Returns the failures, each with the JSON pointer of
  /// the offending value; empty when the instance is valid.
  func validate(_ instance: JSONValue, against reference: String) throws(SchemaError) -> [String] {
    let (document, schema) = try resolve(reference, from: "")
    var failures: [String] = []
    try check(instance, schema, document: document, at: "", into: &failures)
    return failures
  }

  func isValid(_ instance: JSONValue, against reference: String) throws(SchemaError) -> Bool {
    try validate(instance, against: reference).isEmpty
  }

  private func check(
    _ instance: JSONValue, _ schema: JSONValue, document: String, at path: String, into failures: inout [String]
  ) throws(SchemaError) {
    let keywords: [String: JSONValue]
    switch schema {
    case .bool(true): return
    case .bool(false):
      failures.append("\(path): no value is allowed here")
      return
    case .object(let members): keywords = members
    default: throw SchemaError("\(document): a schema must be an object or a boolean, not \(schema)")
    }
    for keyword in keywords.keys.sorted() where !Self.assertions.contains(keyword) && !Self.annotations.contains(keyword) {
      throw SchemaError("\(document): unsupported keyword \(keyword)")
    }

    if case .string(let reference)? = keywords["$ref"] {
      let (target, resolved) = try resolve(reference, from: document)
      try check(instance, resolved, document: target, at: path, into: &failures)
    }

    if let type = keywords["type"] {
      let names: [String]
      switch type {
      case .string(let name): names = [name]
      case .array(let values): names = values.compactMap { if case .string(let name) = $0 { return name } else { return nil } }
      default: throw SchemaError("\(document): type must be a name or a list of names")
      }
      if !names.contains(where: { Self.has(instance, type: $0) }) {
        failures.append("\(path): \(instance) is not of type \(names.joined(separator: " or "))")
      }
    }
    if case .array(let allowed)? = keywords["enum"], !allowed.contains(where: instance.schemaEquals) {
      failures.append("\(path): \(instance) is not one of \(JSONValue.array(allowed))")
    }
    if let constant = keywords["const"], !instance.schemaEquals(constant) {
      failures.append("\(path): \(instance) is not \(constant)")
    }

    switch instance {
    case .object(let members):
      try checkObject(members, keywords, document: document, at: path, into: &failures)
    case .array(let elements):
      if let items = keywords["items"] {
        for (index, element) in elements.enumerated() {
          try check(element, items, document: document, at: "\(path)/\(index)", into: &failures)
        }
      }
      if keywords["uniqueItems"] == .bool(true) {
        for (index, element) in elements.enumerated() where elements[..<index].contains(where: element.schemaEquals) {
          failures.append("\(path)/\(index): \(element) repeats an earlier item")
        }
      }
    case .string(let text):
      let length = Int64(text.unicodeScalars.count)
      if case .integer(let minimum)? = keywords["minLength"], length < minimum {
        failures.append("\(path): \(instance) is shorter than \(minimum) characters")
      }
      if case .integer(let maximum)? = keywords["maxLength"], length > maximum {
        failures.append("\(path): \(instance) is longer than \(maximum) characters")
      }
      if case .string(let pattern)? = keywords["pattern"], try !Self.matches(text, pattern: pattern) {
        failures.append("\(path): \(instance) does not match \(pattern)")
      }
    case .integer, .number:
      let value = instance.numericValue!
      if let minimum = keywords["minimum"]?.numericValue, value < minimum {
        failures.append("\(path): \(instance) is less than \(minimum)")
      }
      if let maximum = keywords["maximum"]?.numericValue, value > maximum {
        failures.append("\(path): \(instance) is more than \(maximum)")
      }
    case .null, .bool: break
    }

    if case .array(let branches)? = keywords["oneOf"] {
      var passing = 0
      var branchFailures: [String] = []
      for branch in branches {
        var local: [String] = []
        try check(instance, branch, document: document, at: path, into: &local)
        if local.isEmpty { passing += 1 } else { branchFailures.append(local.joined(separator: "; ")) }
      }
      if passing == 0 {
        failures.append("\(path): matches none of oneOf (\(branchFailures.map { "[\($0)]" }.joined(separator: " ")))")
      } else if passing > 1 {
        failures.append("\(path): matches \(passing) branches of oneOf, not exactly one")
      }
    }
  }

  private func checkObject(
    _ members: [String: JSONValue], _ keywords: [String: JSONValue], document: String, at path: String,
    into failures: inout [String]
  ) throws(SchemaError) {
    let properties: [String: JSONValue]
    if case .object(let declared)? = keywords["properties"] { properties = declared } else { properties = [:] }
    for name in members.keys.sorted() {
      let location = "\(path)/\(Self.escape(name))"
      if let property = properties[name] {
        try check(members[name]!, property, document: document, at: location, into: &failures)
      } else if let additional = keywords["additionalProperties"] {
        if additional == .bool(false) {
          failures.append("\(location): \(name.debugDescription) is not an allowed property")
        } else {
          try check(members[name]!, additional, document: document, at: location, into: &failures)
        }
      }
      if let names = keywords["propertyNames"] {
        try check(.string(name), names, document: document, at: location, into: &failures)
      }
    }
    if case .array(let required)? = keywords["required"] {
      for case .string(let name) in required where members[name] == nil {
        failures.append("\(path): the required property \(name.debugDescription) is missing")
      }
    }
    if case .integer(let minimum)? = keywords["minProperties"], Int64(members.count) < minimum {
      failures.append("\(path): has fewer than \(minimum) properties")
    }
    if case .integer(let maximum)? = keywords["maxProperties"], Int64(members.count) > maximum {
      failures.append("\(path): has more than \(maximum) properties")
    }
  }

  private static func has(_ instance: JSONValue, type: String) -> Bool {
    switch (type, instance) {
    case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string): return true
    case ("integer", .integer), ("number", .integer), ("number", .number): return true
    case ("integer", .number(let value)): return value.rounded() == value
    default: return false
    }
  }

  // MARK: References

  /// Resolves `reference` (`#/pointer`, `file.json`, `file.json#/pointer`) from `document`.
  private func resolve(_ reference: String, from document: String) throws(SchemaError) -> (String, JSONValue) {
    let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
    let file = parts[0].isEmpty ? document : String(parts[0])
    guard var node = documents[file] else { throw SchemaError("\(document): $ref \(reference) names no schema file") }
    let pointer = parts.count > 1 ? String(parts[1]) : ""
    guard pointer.isEmpty || pointer.hasPrefix("/") else { throw SchemaError("\(document): $ref \(reference) is not a JSON pointer") }
    for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
      let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      guard let next = node[key] else { throw SchemaError("\(document): $ref \(reference) does not resolve") }
      node = next
    }
    return (file, node)
  }

  private static func escape(_ name: String) -> String {
    name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }

  // MARK: Patterns

  /// ECMA-262 `pattern` semantics over Foundation's ICU regular expressions: the pattern
  /// matches anywhere unless anchored, and `$` outside a class means the very end of the
  /// text (ICU's `$` would also match before a final line break, letting `"2023-07-06\n"`
  /// pass a date pattern).
  static func matches(_ text: String, pattern: String) throws(SchemaError) -> Bool {
    let expression = try compile(pattern)
    return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
  }

  static func compile(_ pattern: String) throws(SchemaError) -> NSRegularExpression {
    var translated = ""
    var escaped = false
    var inClass = false
    for character in pattern {
      if escaped {
        translated.append(character)
        escaped = false
        continue
      }
      switch character {
      case "\\": escaped = true; translated.append(character)
      case "[": inClass = true; translated.append(character)
      case "]": inClass = false; translated.append(character)
      case "$" where !inClass: translated += "\\z"
      default: translated.append(character)
      }
    }
    do { return try NSRegularExpression(pattern: translated) } catch {
      throw SchemaError("pattern \(pattern) does not compile: \(error)")
    }
  }

  // MARK: Auditing schemas

  /// Walks every schema document: each keyword must be supported, each `$ref` must resolve,
  /// each pattern must compile and each `type` name must exist.
  func audit() throws(SchemaError) {
    for name in documents.keys.sorted() {
      try audit(documents[name]!, document: name, at: "")
    }
  }

  private func audit(_ schema: JSONValue, document: String, at location: String) throws(SchemaError) {
    guard case .object(let keywords) = schema else {
      if case .bool = schema { return }
      throw SchemaError("\(document)#\(location): a schema must be an object or a boolean")
    }
    for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
      let here = "\(location)/\(Self.escape(keyword))"
      guard Self.assertions.contains(keyword) || Self.annotations.contains(keyword) else {
        throw SchemaError("\(document)#\(location): unsupported keyword \(keyword)")
      }
      switch keyword {
      case "properties", "$defs":
        guard case .object(let members) = value else { throw SchemaError("\(document)#\(here) must be an object") }
        for (name, subschema) in members { try audit(subschema, document: document, at: "\(here)/\(Self.escape(name))") }
      case "items", "additionalProperties", "propertyNames":
        try audit(value, document: document, at: here)
      case "oneOf":
        guard case .array(let branches) = value, !branches.isEmpty else { throw SchemaError("\(document)#\(here) must be a list") }
        for (index, branch) in branches.enumerated() { try audit(branch, document: document, at: "\(here)/\(index)") }
      case "$ref":
        guard case .string(let reference) = value else { throw SchemaError("\(document)#\(here) must be a string") }
        _ = try resolve(reference, from: document)
      case "pattern":
        guard case .string(let pattern) = value else { throw SchemaError("\(document)#\(here) must be a string") }
        _ = try Self.compile(pattern)
      case "type":
        let names: [JSONValue]
        if case .array(let list) = value { names = list } else { names = [value] }
        for name in names {
          guard case .string(let typeName) = name, Self.typeNames.contains(typeName) else {
            throw SchemaError("\(document)#\(here): \(name) is not a type name")
          }
        }
      case "required":
        guard case .array(let names) = value, names.allSatisfy({ if case .string = $0 { true } else { false } }) else {
          throw SchemaError("\(document)#\(here) must be a list of names")
        }
      default: break
      }
    }
  }
}
