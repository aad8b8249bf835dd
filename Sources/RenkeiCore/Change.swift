/// One local write, as it is logged and sent: the unit of replication.
///
/// A change is identified by its origin writer (site and epoch) and its sequence number,
/// which counts every change the writer made, gap-free from 1. Delivering it twice is
/// harmless; a gap means something was lost and is refused.
public struct Change: Sendable, Hashable, Codable {
  public var origin: WriterID
  public var sequence: UInt64
  public var kind: RecordKind
  public var recordID: RecordID
  /// The record's scope, carried so the hub can authorise a change without a lookup.
  public var scope: Scope
  public var operation: ChangeOperation
  /// The fields written (all of them for a create, none for a delete).
  public var fields: RecordFields
  /// The record's version vector after this write: its parent's, with the origin's entry
  /// one higher.
  public var vector: VersionVector
  /// The person who made the edit, as the replica knows them.
  public var author: String
  public var timestamp: HybridTimestamp

  public init(
    origin: WriterID, sequence: UInt64, kind: RecordKind, recordID: RecordID, scope: Scope,
    operation: ChangeOperation, fields: RecordFields, vector: VersionVector, author: String,
    timestamp: HybridTimestamp
  ) {
    self.origin = origin
    self.sequence = sequence
    self.kind = kind
    self.recordID = recordID
    self.scope = scope
    self.operation = operation
    self.fields = fields
    self.vector = vector
    self.author = author
    self.timestamp = timestamp
  }

  /// The version vector of the version this change was written on.
  public var parentVector: VersionVector {
    var counters = vector.counters
    counters[origin] = (counters[origin] ?? 1) - 1
    return VersionVector(counters)
  }

  /// The stamp a version written by this change carries.
  public var stamp: VersionStamp { VersionStamp(writer: origin, author: author, timestamp: timestamp) }

  /// Checks what can be checked of a change alone: its vector advances its own writer by
  /// one and its fields are fields of its kind. A change that fails is refused whole.
  public func checkShape() throws(ChangeShapeError) {
    guard sequence >= 1 else { throw ChangeShapeError("sequence must start at 1") }
    guard vector[origin] >= 1 else {
      throw ChangeShapeError("vector \(vector) does not count its own writer \(origin)")
    }
    let classes = kind.fieldClasses
    if let unknown = fields.keys.sorted().first(where: { classes[$0] == nil }) {
      throw ChangeShapeError("\(unknown) is not a field of a \(kind)")
    }
    switch operation {
    case .create:
      guard parentVector.isEmpty else { throw ChangeShapeError("a create must have no parent, but its vector is \(vector)") }
    case .update:
      guard !fields.isEmpty else { throw ChangeShapeError("an update writes no field") }
      guard fields["scope"] == nil || fields["scope"] == .string(scope.rawValue) else {
        throw ChangeShapeError("a record's scope cannot change")
      }
    case .delete:
      guard fields.isEmpty else { throw ChangeShapeError("a delete writes no field") }
    case .resolve:
      guard fields["scope"] == .string(scope.rawValue) else { throw ChangeShapeError("a resolution writes the whole record, scope unchanged") }
      guard !parentVector.isEmpty else { throw ChangeShapeError("a resolution must follow the versions it settles") }
    }
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case site, epoch, sequence, kind, record, scope, op, fields, vector, author, hlc
  }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(besides: CodingKeys.self)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let site = try container.decode(SiteID.self, forKey: .site)
    let epoch = try container.decode(UInt32.self, forKey: .epoch)
    guard epoch >= 1 else {
      throw DecodingError.dataCorruptedError(forKey: .epoch, in: container, debugDescription: "epoch must be 1 or more")
    }
    origin = WriterID(site: site, epoch: epoch)
    sequence = try container.decode(UInt64.self, forKey: .sequence)
    kind = try container.decode(RecordKind.self, forKey: .kind)
    recordID = try container.decode(RecordID.self, forKey: .record)
    scope = try container.decode(Scope.self, forKey: .scope)
    operation = try container.decode(ChangeOperation.self, forKey: .op)
    fields = try container.decodeIfPresent(RecordFields.self, forKey: .fields) ?? [:]
    vector = try container.decode(VersionVector.self, forKey: .vector)
    author = try container.decode(String.self, forKey: .author)
    timestamp = try container.decode(HybridTimestamp.self, forKey: .hlc)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(origin.site, forKey: .site)
    try container.encode(origin.epoch, forKey: .epoch)
    try container.encode(sequence, forKey: .sequence)
    try container.encode(kind, forKey: .kind)
    try container.encode(recordID, forKey: .record)
    try container.encode(scope, forKey: .scope)
    try container.encode(operation, forKey: .op)
    try container.encode(fields, forKey: .fields)
    try container.encode(vector, forKey: .vector)
    try container.encode(author, forKey: .author)
    try container.encode(timestamp, forKey: .hlc)
  }
}

/// Why a change is malformed in itself.
public struct ChangeShapeError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
