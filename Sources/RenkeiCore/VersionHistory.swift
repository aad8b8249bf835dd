/// The versions of one record that edits made, and every state derivable from them.
///
/// Only versions written by edits are stored. A merged version is never stored: it is
/// named by the union of the vectors it merges and recomputed from them on demand, so the
/// state of a record is a pure function of the set of edits it has received — the same on
/// every site, whatever order the edits arrived in.
public struct VersionHistory: Sendable {
  public let kind: RecordKind
  public let recordID: RecordID
  /// The versions edits wrote, by vector.
  public private(set) var versions: [VersionVector: RecordVersion]
  /// The versions no other version descends from.
  public private(set) var frontier: [RecordVersion]

  /// Creates a history from stored versions.
  ///
  /// A store may pass only some versions (the frontier and the ones a change names) with
  /// the frontier it keeps: every answer is then either right or an `unknownVersion`
  /// error, never a wrong state, because a missing version that matters leaves the union
  /// of the versions found short of the vector asked for.
  public init(kind: RecordKind, recordID: RecordID, versions: [RecordVersion] = [], frontier: [RecordVersion]? = nil) {
    self.kind = kind
    self.recordID = recordID
    var byVector = Dictionary(versions.map { ($0.vector, $0) }, uniquingKeysWith: { first, _ in first })
    for version in frontier ?? [] where byVector[version.vector] == nil { byVector[version.vector] = version }
    self.versions = byVector
    self.frontier = frontier ?? Self.maximal(Array(byVector.values))
  }

  /// The current state: the merge of the frontier. Nil when the record has no version.
  public func current() throws(VersionHistoryError) -> ResolvedVersion? {
    guard !frontier.isEmpty else { return nil }
    return try resolve(frontier: frontier)
  }

  /// The state named by `vector`: a stored version, or the merge of the stored versions it
  /// includes. Throws when no set of stored versions adds up to exactly that vector.
  public func resolve(_ vector: VersionVector) throws(VersionHistoryError) -> ResolvedVersion {
    if let stored = versions[vector] { return ResolvedVersion(single: stored) }
    let included = versions.values.filter { vector.dominatesOrEquals($0.vector) }
    let frontier = Self.maximal(included)
    let union = frontier.reduce(VersionVector()) { $0.merged(with: $1.vector) }
    guard !frontier.isEmpty, union == vector else { throw .unknownVersion(recordID, vector) }
    return try resolve(frontier: frontier)
  }

  /// Adds the version `change` writes, computing its state from its parent's.
  /// - Returns: the new version, or nil when the change's version was already stored.
  @discardableResult
  public mutating func add(_ change: Change) throws(VersionHistoryError) -> RecordVersion? {
    guard change.kind == kind, change.recordID == recordID else { throw .wrongRecord(change.recordID) }
    if versions[change.vector] != nil { return nil }
    let parentVector = change.parentVector
    let parent: RecordState?
    if parentVector.isEmpty {
      parent = nil
    } else {
      parent = try resolve(parentVector).state
    }
    let state: RecordState
    switch change.operation {
    case .create:
      guard parent == nil else { throw .createOverExisting(recordID) }
      state = RecordState(fields: change.fields)
    case .update:
      guard let parent else { throw .unknownVersion(recordID, parentVector) }
      guard !parent.deleted else { throw .editOfTombstone(recordID) }
      state = RecordState(fields: parent.fields.merging(change.fields) { _, new in new })
    case .delete:
      guard let parent else { throw .unknownVersion(recordID, parentVector) }
      state = RecordState(fields: parent.fields, deleted: true)
    case .resolve:
      guard parent != nil else { throw .unknownVersion(recordID, parentVector) }
      state = RecordState(fields: change.fields)
    }
    let version = RecordVersion(kind: kind, recordID: recordID, state: state, vector: change.vector, stamp: change.stamp)
    insert(version)
    return version
  }

  /// Stores a version whose state is already known (a resolution written by the hub).
  public mutating func insert(_ version: RecordVersion) {
    guard versions[version.vector] == nil else { return }
    versions[version.vector] = version
    // A new edit is never included in an older version, so it joins the frontier and
    // pushes out the versions it descends from.
    frontier.removeAll { version.vector.dominatesOrEquals($0.vector) }
    if !frontier.contains(where: { $0.vector.dominatesOrEquals(version.vector) }) {
      frontier.append(version)
    }
  }

  private func resolve(frontier: [RecordVersion]) throws(VersionHistoryError) -> ResolvedVersion {
    if frontier.count == 1 { return ResolvedVersion(single: frontier[0]) }
    let meet = frontier.dropFirst().reduce(frontier[0].vector) { $0.meet($1.vector) }
    let base = meet.isEmpty ? nil : try resolve(meet).state
    let result = Merge.merge(kind: kind, base: base, sides: frontier)
    let vector = frontier.reduce(VersionVector()) { $0.merged(with: $1.vector) }
    let stamp = frontier.map(\.stamp).max()!
    return ResolvedVersion(
      version: RecordVersion(kind: kind, recordID: recordID, state: result.state, vector: vector, stamp: stamp),
      base: base, sides: Merge.canonicalOrder(frontier), conflicts: result.conflicts)
  }

  /// The versions no other version includes.
  /// - Complexity: O(n log n + n·f), f the size of the result: a version can only be
  ///   included in one with a larger total, and if it is, some maximal one includes it.
  static func maximal(_ versions: [RecordVersion]) -> [RecordVersion] {
    var result: [RecordVersion] = []
    for candidate in versions.sorted(by: { $0.vector.total > $1.vector.total }) {
      if !result.contains(where: { $0.vector.dominatesOrEquals(candidate.vector) }) { result.append(candidate) }
    }
    return result
  }
}

/// A record's state at some vector, with how it came about when it is a merge.
public struct ResolvedVersion: Sendable, Hashable {
  public var version: RecordVersion
  /// The common ancestor the sides were merged against; nil for a stored version or
  /// sides created independently.
  public var base: RecordState?
  /// The concurrent versions merged, in canonical order; empty for a stored version.
  public var sides: [RecordVersion]
  /// The fields the merge could not settle.
  public var conflicts: [FieldConflict]

  public var state: RecordState { version.state }
  public var vector: VersionVector { version.vector }

  /// A stored version standing alone.
  public init(_ single: RecordVersion) { self.init(single: single) }

  init(single: RecordVersion) {
    version = single
    base = nil
    sides = []
    conflicts = []
  }

  /// A version with how it came about: for a hub that settles a record outside the history
  /// merge (an edit of a tombstone whose history was compacted).
  public init(version: RecordVersion, base: RecordState?, sides: [RecordVersion], conflicts: [FieldConflict]) {
    self.version = version
    self.base = base
    self.sides = sides
    self.conflicts = conflicts
  }
}

/// Why a change cannot join a record's history.
public enum VersionHistoryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The change was written on a version this history cannot name: a parent that was
  /// never received, or a vector that advances another site's entry.
  case unknownVersion(RecordID, VersionVector)
  case createOverExisting(RecordID)
  case editOfTombstone(RecordID)
  case wrongRecord(RecordID)

  public var description: String {
    switch self {
    case .unknownVersion(let id, let vector):
      return "record \(id) has no version \(vector): the change builds on edits this site never received"
    case .createOverExisting(let id): return "record \(id) already exists"
    case .editOfTombstone(let id): return "record \(id) was deleted; an edit must not build on its tombstone"
    case .wrongRecord(let id): return "change for \(id) given to another record's history"
    }
  }
}
