extension VersionHistory {
  /// Every stored version as an entry of the record's history, oldest first (by stamp).
  ///
  /// An edit's fields are found by comparing its state with the state it was written on
  /// (its parent vector, resolved as ``add(_:)`` resolves it), not with the version stored
  /// before it: two sites' concurrent edits would otherwise each seem to undo the other's.
  ///
  /// One entry per stamp: the version a hub stores when it takes in an edit of a compacted
  /// record keeps the stamp of the version it keeps (the edit itself waits in review), so
  /// only the first version with a stamp is an edit.
  /// - Parameter resolutionSites: the sites whose versions are an administrator's decisions
  ///   (the hub knows its admin sites, which never push; a version alone does not say).
  public func entries(resolutionSites: Set<SiteID> = []) -> [RecordHistoryEntry] {
    let edits = Dictionary(
      versions.values.map { ($0.stamp, $0) }, uniquingKeysWith: { $0.vector.total <= $1.vector.total ? $0 : $1 }
    ).values
    return edits.sorted { $0.stamp < $1.stamp }.map { version in
      let writer = version.stamp.writer
      var counters = version.vector.counters
      counters[writer] = (counters[writer] ?? 1) - 1
      let parentVector = VersionVector(counters)
      let operation: ChangeOperation
      let fields: [String]?
      if parentVector.isEmpty {
        operation = .create
        // A create carries every field; the ones left empty say nothing to a reader.
        fields = version.state.fields.filter { !Self.isEmpty($0.value) }.keys.sorted()
      } else {
        // A decision that deletes is listed as the delete it is; its writer names the administrator.
        operation = version.state.deleted ? .delete : resolutionSites.contains(writer.site) ? .resolve : .update
        // Unknown only where compaction dropped the versions before a tombstone.
        fields = (try? resolve(parentVector)).map { Self.changedFields(from: $0.state.fields, to: version.state.fields) }
      }
      return RecordHistoryEntry(stamp: version.stamp, vector: version.vector, operation: operation, fields: fields)
    }
  }

  /// The fields whose values differ; a field absent on one side and empty on the other (as
  /// a record written back over a compacted tombstone has them) is no change to a reader.
  private static func changedFields(from before: RecordFields, to after: RecordFields) -> [String] {
    Set(before.keys).union(after.keys).filter { field in
      let (old, new) = (before[field] ?? .null, after[field] ?? .null)
      return old != new && !(isEmpty(old) && isEmpty(new))
    }.sorted()
  }

  private static func isEmpty(_ value: FieldValue) -> Bool { [.null, .string(""), .strings([])].contains(value) }
}
