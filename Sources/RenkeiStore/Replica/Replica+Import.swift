import RenkeiCore

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
  public var imported: Int
  /// Rows outside the replica's scope, skipped with `onlyMine`.
  public var skippedOutOfScope: Int

  public init(imported: Int, skippedOutOfScope: Int) {
    self.imported = imported
    self.skippedOutOfScope = skippedOutOfScope
  }
}

extension Replica {
  /// Imports event rows as new records, each with its change, all in one transaction:
  /// a bad row or, unless `onlyMine`, a row outside this replica's scope refuses the whole
  /// file with its line number, and nothing is applied.
  public func importEvents(_ rows: [EventImport.Row], onlyMine: Bool) throws -> ImportSummary {
    try database.inTransaction {
      var imported = 0
      var skipped = 0
      for row in rows {
        guard scope.canWrite(row.event.scope) else {
          if onlyMine {
            skipped += 1
            continue
          }
          throw ReplicaError(
            .outOfScope,
            "line \(row.line): \(row.event.id) belongs to scope \(row.event.scope), outside this replica's scope \(scope) (use --only-mine to import only this replica's rows)")
        }
        do {
          try create(.event, id: row.event.id, fields: row.event.fields)
        } catch let error as ReplicaError {
          throw ReplicaError(error.code, "line \(row.line): \(error.message)")
        }
        imported += 1
      }
      return ImportSummary(imported: imported, skippedOutOfScope: skipped)
    }
  }
}
