/// A value ``CanonicalJSONReader`` reads directly, giving what `JSONDecoder` would decode
/// from the same text, or ``CanonicalJSONReader/Unexpected`` to leave the text to it.
public protocol CanonicalJSONDecodable: Decodable {
  init(readingCanonicalJSON json: inout CanonicalJSONReader) throws(CanonicalJSONReader.Unexpected)
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
    self.init()
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
