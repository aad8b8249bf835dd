/// One version of a record: its state, the version vector that names it, and who wrote it.
public struct RecordVersion: Sendable, Hashable, Codable {
  public var kind: RecordKind
  public var recordID: RecordID
  public var state: RecordState
  public var vector: VersionVector
  public var stamp: VersionStamp

  public init(kind: RecordKind, recordID: RecordID, state: RecordState, vector: VersionVector, stamp: VersionStamp) {
    self.kind = kind
    self.recordID = recordID
    self.state = state
    self.vector = vector
    self.stamp = stamp
  }
}
