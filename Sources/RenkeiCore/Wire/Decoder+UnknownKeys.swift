extension Decoder {
  /// Throws when the object being decoded has a property `Keys` does not name.
  ///
  /// The protocol's schemas forbid properties they do not list (`additionalProperties:
  /// false`): a misspelt or invented property is refused with a clear error rather than
  /// silently dropped, so a client never believes the hub stored something it ignored.
  func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(besides keys: Keys.Type) throws {
    let container = try container(keyedBy: PropertyName.self)
    let known = Set(Keys.allCases.map(\.stringValue))
    if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: codingPath + [PropertyName(stringValue: unknown)], debugDescription: "unknown property \(unknown)"))
    }
  }
}

/// Any property name, so that every key of an object can be listed.
private struct PropertyName: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
