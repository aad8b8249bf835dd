import RenkeiCore

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
  public var imported: Int
  /// Rows outside the replica's scope, skipped with `onlyMine`.
  public var skippedOutOfScope: Int
  /// Rows whose event is already stored with the same content: the file was imported before.
  public var alreadyPresent: Int

  public init(imported: Int, skippedOutOfScope: Int, alreadyPresent: Int = 0) {
    self.imported = imported
    self.skippedOutOfScope = skippedOutOfScope
    self.alreadyPresent = alreadyPresent
  }
}

extension Replica {
  /// How many rows whose ids are stored with other content an error describes one by one;
  /// the ids of the rest are still listed.
  static let describedDifferingRows = 20

  /// Imports event rows as new records, each with its change, all in one transaction.
  ///
  /// Staff import the same spreadsheet again after adding rows to it, so a row whose event
  /// is already stored with the same content (in the fields the file gives) is skipped and
  /// counted as already present. Anything else refuses the whole file, naming the line, and
  /// nothing is applied: a bad row; unless `onlyMine`, a row outside this replica's scope;
  /// and rows whose id is stored with different content (or as a deleted record, or as
  /// another kind), all listed with what differs, so no record is overwritten unseen.
  public func importEvents(_ rows: [EventImport.Row], onlyMine: Bool) throws -> ImportSummary {
    try database.inTransaction {
      var skipped = 0
      var present = 0
      var new: [EventImport.Row] = []
      var differing: [(row: EventImport.Row, why: String)] = []
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
        guard let stored = try record(row.event.id) else {
          new.append(row)
          continue
        }
        if stored.kind != .event {
          differing.append((row, "a \(stored.kind) has this id here"))
        } else if stored.state.deleted {
          differing.append((row, "the event was deleted here"))
        } else {
          let differences = EventImport.differences(of: row.event, fromStored: stored.state.fields)
          if differences.isEmpty {
            present += 1
          } else {
            differing.append((row, differences.joined(separator: ", ")))
          }
        }
      }
      if !differing.isEmpty { throw Self.differingRowsError(differing) }
      for row in new {
        do {
          try create(.event, id: row.event.id, fields: row.event.fields)
        } catch let error as ReplicaError {
          throw ReplicaError(error.code, "line \(row.line): \(error.message)")
        }
      }
      return ImportSummary(imported: new.count, skippedOutOfScope: skipped, alreadyPresent: present)
    }
  }

  private static func differingRowsError(_ differing: [(row: EventImport.Row, why: String)]) -> ReplicaError {
    let count = differing.count
    var message =
      "\(count) \(count == 1 ? "row has an id" : "rows have ids") already on this replica with different content, which an import never overwrites: "
    message += differing.prefix(describedDifferingRows).map { "line \($0.row.line): \($0.row.event.id) (\($0.why))" }
      .joined(separator: "; ")
    let rest = differing.dropFirst(describedDifferingRows)
    if !rest.isEmpty {
      message += "; and \(rest.count) more: " + rest.map { "line \($0.row.line): \($0.row.event.id)" }.joined(separator: ", ")
    }
    message += "; make the file and those records agree (renkei event show ID, renkei event edit ID), then import again"
    return ReplicaError(.alreadyExists, message)
  }
}
