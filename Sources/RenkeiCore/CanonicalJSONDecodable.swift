/// A value ``CanonicalJSONReader`` reads directly, giving what `JSONDecoder` would decode
/// from the same text, or ``CanonicalJSONReader/Unexpected`` to leave the text to it.
public protocol CanonicalJSONDecodable: Decodable {
  init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected)
}

extension CanonicalJSONDecodable {
  /// The value `text` holds, read directly; nil when the reader leaves the text to `JSONDecoder`.
  public static func read(canonicalJSON text: String) -> Self? {
    try? CanonicalJSONReader.read(text) { json throws(CanonicalJSONReader.Unexpected) in try Self(readingCanonicalJSON: &json) }
  }

  /// The same for bytes known to be valid UTF-8.
  static func read(canonicalJSONUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Self? {
    try? CanonicalJSONReader.read(validUTF8: bytes) { json throws(CanonicalJSONReader.Unexpected) in
      try Self(readingCanonicalJSON: &json)
    }
  }
}

extension FieldValue: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    switch try json.peek() {
    case UInt8(ascii: "\""):
      self = .text(try json.string())
    case UInt8(ascii: "["):
      try json.beginArray()
      var values: [String] = []
      while try json.nextElement() { values.append(try json.string()) }
      self = .set(values)
    case UInt8(ascii: "n"):
      guard try json.null() else { throw CanonicalJSONReader.Unexpected() }
      self = .null
    default:
      self = .integer(try json.integer())
    }
  }
}

extension Dictionary: CanonicalJSONDecodable where Key == String, Value == FieldValue {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    // A record has up to 13 fields: room for them at once, not four regrowths.
    self.init(minimumCapacity: 16)
    try json.beginObject()
    while let key = try json.nextKey() {
      // A key given twice is left to JSONDecoder, whatever it makes of it.
      guard updateValue(try FieldValue(readingCanonicalJSON: &json), forKey: key) == nil else {
        throw CanonicalJSONReader.Unexpected()
      }
    }
  }
}

extension VersionVector: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var counters: [WriterID: UInt64] = [:]
    try json.beginObject()
    while let key = try json.nextKey() {
      guard let writer = WriterID(rawValue: key), counters.updateValue(try json.unsignedInteger(), forKey: writer) == nil else {
        throw CanonicalJSONReader.Unexpected()
      }
    }
    self.init(counters)
  }
}

extension VersionStamp: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var writer: WriterID?
    var author: String?
    var timestamp: HybridTimestamp?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "writer" where writer == nil: writer = WriterID(rawValue: try json.string())
      case "author" where author == nil: author = try json.string()
      case "timestamp" where timestamp == nil: timestamp = HybridTimestamp(rawValue: try json.string())
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let writer, let author, let timestamp else { throw CanonicalJSONReader.Unexpected() }
    self.init(writer: writer, author: author, timestamp: timestamp)
  }
}

extension Change: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var site: SiteID?
    var epoch: UInt32?
    var sequence: UInt64?
    var kind: RecordKind?
    var recordID: RecordID?
    var scope: Scope?
    var operation: ChangeOperation?
    var fields: RecordFields?
    var vector: VersionVector?
    var author: String?
    var timestamp: HybridTimestamp?
    var seen = Set<String>()
    try json.beginObject()
    while let key = try json.nextKey() {
      guard seen.insert(key).inserted else { throw CanonicalJSONReader.Unexpected() }
      switch key {
      case "site": site = SiteID(rawValue: try json.string())
      case "epoch": epoch = UInt32(exactly: try json.unsignedInteger())
      case "sequence": sequence = try json.unsignedInteger()
      case "kind": kind = RecordKind(rawValue: try json.string())
      case "record": recordID = try? RecordID(try json.string())
      case "scope": scope = try? Scope(try json.string())
      case "op": operation = ChangeOperation(rawValue: try json.string())
      case "fields": fields = try json.null() ? [:] : try RecordFields(readingCanonicalJSON: &json)
      case "vector": vector = try VersionVector(readingCanonicalJSON: &json)
      case "author": author = try json.string()
      case "hlc": timestamp = HybridTimestamp(rawValue: try json.string())
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let site, let epoch, epoch >= 1, let sequence, let kind, let recordID, let scope, let operation, let vector, let author,
      let timestamp
    else { throw CanonicalJSONReader.Unexpected() }
    self.init(
      origin: WriterID(site: site, epoch: epoch), sequence: sequence, kind: kind, recordID: recordID, scope: scope,
      operation: operation, fields: fields ?? [:], vector: vector, author: author, timestamp: timestamp)
  }
}

extension PushRequest: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var changes: [Change]?
    try json.beginObject()
    while let key = try json.nextKey() {
      guard key == "changes", changes == nil else { throw CanonicalJSONReader.Unexpected() }
      var read: [Change] = []
      try json.beginArray()
      while try json.nextElement() { read.append(try Change(readingCanonicalJSON: &json)) }
      changes = read
    }
    guard let changes else { throw CanonicalJSONReader.Unexpected() }
    self.init(changes: changes)
  }
}

extension RecordState: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var fields: RecordFields?
    var deleted: Bool?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "fields" where fields == nil: fields = try RecordFields(readingCanonicalJSON: &json)
      case "deleted" where deleted == nil: deleted = try json.bool()
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let fields, let deleted else { throw CanonicalJSONReader.Unexpected() }
    self.init(fields: fields, deleted: deleted)
  }
}

extension RecordVersion: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var kind: RecordKind?
    var recordID: RecordID?
    var state: RecordState?
    var vector: VersionVector?
    var stamp: VersionStamp?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "kind" where kind == nil: kind = RecordKind(rawValue: try json.string())
      case "recordID" where recordID == nil: recordID = try? RecordID(try json.string())
      case "state" where state == nil: state = try RecordState(readingCanonicalJSON: &json)
      case "vector" where vector == nil: vector = try VersionVector(readingCanonicalJSON: &json)
      case "stamp" where stamp == nil: stamp = try VersionStamp(readingCanonicalJSON: &json)
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let kind, let recordID, let state, let vector, let stamp else { throw CanonicalJSONReader.Unexpected() }
    self.init(kind: kind, recordID: recordID, state: state, vector: vector, stamp: stamp)
  }
}

extension FieldConflict: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var field: String?
    var rule: ConflictRule?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "field" where field == nil: field = try json.string()
      case "rule" where rule == nil: rule = ConflictRule(rawValue: try json.string())
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let field, let rule else { throw CanonicalJSONReader.Unexpected() }
    self.init(field: field, rule: rule)
  }
}

extension ConflictSide: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var writer: WriterID?
    var author: String?
    var timestamp: HybridTimestamp?
    var deleted: Bool?
    var values: RecordFields?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "writer" where writer == nil: writer = WriterID(rawValue: try json.string())
      case "author" where author == nil: author = try json.string()
      case "timestamp" where timestamp == nil: timestamp = HybridTimestamp(rawValue: try json.string())
      case "deleted" where deleted == nil: deleted = try json.bool()
      case "values" where values == nil: values = try RecordFields(readingCanonicalJSON: &json)
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let writer, let author, let timestamp, let deleted, let values else { throw CanonicalJSONReader.Unexpected() }
    self.init(writer: writer, author: author, timestamp: timestamp, deleted: deleted, values: values)
  }
}

extension ConflictSummary: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var id: Int64?
    var conflicts: [FieldConflict]?
    var sites: [SiteID]?
    var sides: [ConflictSide]?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "id" where id == nil: id = try json.integer()
      case "conflicts" where conflicts == nil:
        conflicts = try json.array { json throws(CanonicalJSONReader.Unexpected) in try FieldConflict(readingCanonicalJSON: &json) }
      case "sites" where sites == nil:
        sites = try json.array { json throws(CanonicalJSONReader.Unexpected) in
          guard let site = SiteID(rawValue: try json.string()) else { throw CanonicalJSONReader.Unexpected() }
          return site
        }
      case "sides" where sides == nil:
        sides = try json.null() ? [] : try json.array { json throws(CanonicalJSONReader.Unexpected) in try ConflictSide(readingCanonicalJSON: &json) }
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let id, let conflicts, let sites else { throw CanonicalJSONReader.Unexpected() }
    self.init(id: id, conflicts: conflicts, sites: sites, sides: sides ?? [])
  }
}

extension ResolutionNote: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var conflictID: Int64?
    var resolvedBy: SiteID?
    var texts: [String: String] = [:]
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "conflict_id" where conflictID == nil: conflictID = try json.integer()
      case "resolved_by" where resolvedBy == nil: resolvedBy = SiteID(rawValue: try json.string())
      case "author", "resolved_at", "reason", "choice":
        guard texts.updateValue(try json.string(), forKey: key) == nil else { throw CanonicalJSONReader.Unexpected() }
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let conflictID, let resolvedBy, let author = texts["author"], let resolvedAt = texts["resolved_at"],
      let reason = texts["reason"], let choice = texts["choice"]
    else { throw CanonicalJSONReader.Unexpected() }
    self.init(conflictID: conflictID, resolvedBy: resolvedBy, author: author, resolvedAt: resolvedAt, reason: reason, choice: choice)
  }
}

extension FeedEntry: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var position: UInt64?
    var scope: Scope?
    var version: RecordVersion?
    var conflict: ConflictSummary??
    var resolution: ResolutionNote??
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "position" where position == nil: position = try json.unsignedInteger()
      case "scope" where scope == nil: scope = try? Scope(try json.string())
      case "version" where version == nil: version = try RecordVersion(readingCanonicalJSON: &json)
      case "conflict" where conflict == nil: conflict = try json.null() ? .some(nil) : try ConflictSummary(readingCanonicalJSON: &json)
      case "resolution" where resolution == nil:
        resolution = try json.null() ? .some(nil) : try ResolutionNote(readingCanonicalJSON: &json)
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let position, let scope, let version else { throw CanonicalJSONReader.Unexpected() }
    self.init(position: position, scope: scope, version: version, conflict: conflict ?? nil, resolution: resolution ?? nil)
  }
}

extension PullPage: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    var entries: [FeedEntry]?
    var cursor: UInt64?
    var hasMore: Bool?
    try json.beginObject()
    while let key = try json.nextKey() {
      switch key {
      case "entries" where entries == nil:
        entries = try json.array { json throws(CanonicalJSONReader.Unexpected) in try FeedEntry(readingCanonicalJSON: &json) }
      case "cursor" where cursor == nil: cursor = try json.unsignedInteger()
      case "has_more" where hasMore == nil: hasMore = try json.bool()
      default: throw CanonicalJSONReader.Unexpected()
      }
    }
    guard let entries, let cursor, let hasMore else { throw CanonicalJSONReader.Unexpected() }
    self.init(entries: entries, cursor: cursor, hasMore: hasMore)
  }
}

extension Array: CanonicalJSONDecodable where Element: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    self = try json.array { json throws(CanonicalJSONReader.Unexpected) in try Element(readingCanonicalJSON: &json) }
  }
}

extension RecordID: CanonicalJSONDecodable {
  public init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected) {
    // An id RecordID refuses is left to JSONDecoder, which gives the refusal as its error.
    guard let id = try? RecordID(try json.string()) else { throw CanonicalJSONReader.Unexpected() }
    self = id
  }
}
