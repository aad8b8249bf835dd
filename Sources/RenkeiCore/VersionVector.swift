/// A sparse version vector: for each writer, how many of its edits a version includes.
///
/// Writers are named by ``WriterID`` (a site and its epoch), so a replica restored from a
/// backup writes under a new name and can never reissue a counter another copy of it used.
/// Absent entries count as zero; entries are never stored as zero.
public struct VersionVector: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The causal order of two versions.
  public enum Order: String, Sendable, Codable {
    /// Both versions include exactly the same edits.
    case equal
    /// The left version is an ancestor of the right one.
    case before
    /// The left version descends from the right one.
    case after
    /// Neither includes all of the other's edits: they were written concurrently.
    case concurrent
  }

  /// The non-zero counters, by writer.
  public private(set) var counters: [WriterID: UInt64]

  public init() { counters = [:] }

  /// Creates a vector from counters, dropping zeros so equal vectors compare equal.
  public init(_ counters: [WriterID: UInt64]) {
    self.counters = counters.filter { $0.value > 0 }
  }

  /// The counter of `writer`, zero when absent.
  public subscript(writer: WriterID) -> UInt64 { counters[writer] ?? 0 }

  /// The sum of all counters: how many edits the version includes.
  public var total: UInt64 { counters.values.reduce(0, &+) }

  public var isEmpty: Bool { counters.isEmpty }

  /// Compares two vectors entry by entry.
  /// - Complexity: O(n + m) in the number of entries.
  public func compare(_ other: VersionVector) -> Order {
    var selfAhead = false
    var otherAhead = false
    for (writer, count) in counters {
      let theirs = other[writer]
      if count > theirs { selfAhead = true } else if count < theirs { otherAhead = true }
    }
    for (writer, count) in other.counters where counters[writer] == nil && count > 0 {
      otherAhead = true
    }
    switch (selfAhead, otherAhead) {
    case (false, false): return .equal
    case (true, false): return .after
    case (false, true): return .before
    case (true, true): return .concurrent
    }
  }

  /// True when this vector includes every edit `other` includes.
  public func dominatesOrEquals(_ other: VersionVector) -> Bool {
    let order = compare(other)
    return order == .after || order == .equal
  }

  /// The least vector that includes both: the entry-wise maximum.
  public func merged(with other: VersionVector) -> VersionVector {
    var result = counters
    for (writer, count) in other.counters where count > result[writer] ?? 0 {
      result[writer] = count
    }
    return VersionVector(result)
  }

  /// The greatest vector both include: the entry-wise minimum.
  public func meet(_ other: VersionVector) -> VersionVector {
    var result: [WriterID: UInt64] = [:]
    for (writer, count) in counters {
      let lower = min(count, other[writer])
      if lower > 0 { result[writer] = lower }
    }
    return VersionVector(result)
  }

  /// The vector after one more edit by `writer`. Only the writer's own entry moves:
  /// a replica may advance no other site's entry.
  public func incremented(for writer: WriterID) -> VersionVector {
    var result = counters
    result[writer, default: 0] += 1
    return VersionVector(result)
  }

  /// The writers whose entries differ between the two vectors, with this vector's count.
  public func entriesAhead(of other: VersionVector) -> [WriterID: UInt64] {
    counters.filter { $0.value > other[$0.key] }
  }

  /// Entries in a stable order, for hashing, display and canonical encoding.
  public var sortedEntries: [(writer: WriterID, count: UInt64)] {
    counters.sorted { $0.key < $1.key }.map { (writer: $0.key, count: $0.value) }
  }

  public var description: String {
    "{" + sortedEntries.map { "\($0.writer):\($0.count)" }.joined(separator: ", ") + "}"
  }

  // Encoded as a JSON object {"writer": count}, the form Protocol/SYNC.md specifies.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode([String: UInt64].self)
    var counters: [WriterID: UInt64] = [:]
    for (key, value) in raw {
      guard let writer = WriterID(rawValue: key) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "version vector key \(key.debugDescription) is not a writer id (site.epoch)")
      }
      counters[writer] = value
    }
    self.init(counters)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(Dictionary(uniqueKeysWithValues: counters.map { ($0.key.rawValue, $0.value) }))
  }
}
