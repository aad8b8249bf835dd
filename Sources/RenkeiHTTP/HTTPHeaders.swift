/// The header fields of a request or response, in the order they were received or added.
///
/// Names are matched case-insensitively (RFC 9110 §5.1), ASCII only; values are kept as
/// given. A name may appear more than once: ``subscript(_:)`` answers the first value,
/// ``values(for:)`` all of them.
///
/// - Complexity: lookups are O(n) in the number of fields, which for HTTP is small.
public struct HTTPHeaders: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
  public private(set) var fields: [HTTPHeaderField]

  /// Headers with no fields.
  public init() {
    fields = []
  }

  /// Headers holding `fields` in order.
  public init(_ fields: [HTTPHeaderField]) {
    self.fields = fields
  }

  /// Headers from `(name, value)` pairs in order; a name may repeat.
  public init(dictionaryLiteral elements: (String, String)...) {
    fields = elements.map { HTTPHeaderField(name: $0.0, value: $0.1) }
  }

  public var startIndex: Int { fields.startIndex }
  public var endIndex: Int { fields.endIndex }
  public subscript(position: Int) -> HTTPHeaderField { fields[position] }

  /// The value of the first field called `name`, or nil. Setting replaces every field
  /// called `name` with one field at the position of the first (or at the end), or removes
  /// them all when set to nil.
  public subscript(name: String) -> String? {
    get { fields.first { HTTPHeaders.namesMatch($0.name, name) }?.value }
    set {
      if let newValue { replaceOrAdd(name: name, value: newValue) } else { remove(name: name) }
    }
  }

  /// The values of every field called `name`, in order.
  public func values(for name: String) -> [String] {
    fields.filter { HTTPHeaders.namesMatch($0.name, name) }.map(\.value)
  }

  /// Whether a field called `name` is present.
  public func contains(name: String) -> Bool {
    fields.contains { HTTPHeaders.namesMatch($0.name, name) }
  }

  /// Appends a field, keeping any existing field of the same name.
  public mutating func add(name: String, value: String) {
    fields.append(HTTPHeaderField(name: name, value: value))
  }

  /// Replaces every field called `name` with a single field holding `value`, placed where
  /// the first of them was, or appended if there was none.
  public mutating func replaceOrAdd(name: String, value: String) {
    guard let first = fields.firstIndex(where: { HTTPHeaders.namesMatch($0.name, name) }) else {
      add(name: name, value: value)
      return
    }
    fields[first].value = value
    var index = fields.index(after: first)
    while index < fields.endIndex {
      if HTTPHeaders.namesMatch(fields[index].name, name) {
        fields.remove(at: index)
      } else {
        index += 1
      }
    }
  }

  /// Removes every field called `name`.
  public mutating func remove(name: String) {
    fields.removeAll { HTTPHeaders.namesMatch($0.name, name) }
  }

  /// Whether two field names are equal ignoring ASCII case.
  static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.elementsEqual(rhs.utf8) { $0.asciiLowercased == $1.asciiLowercased }
  }
}
