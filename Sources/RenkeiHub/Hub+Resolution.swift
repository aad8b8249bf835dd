import Foundation
import RenkeiCore
import RenkeiStore

extension Hub {
  /// Settles a conflict as an administrator decided: writes a new version whose vector
  /// includes every side, closes the conflict, and records the decision in the audit.
  ///
  /// Refused, with nothing changed, when the conflict is already resolved, when newer
  /// edits have joined it since `revision` (the administrator decided on what they saw,
  /// not on what came after), when the choice names a site that is not a side or leaves a
  /// colliding field undecided, or when the result is not a valid record.
  @discardableResult
  public func resolve(
    conflict id: Int64, revision: Int64, choice: ResolutionChoice, reason: String, by administrator: SiteRegistration
  ) throws -> RecordVersion {
    let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    guard administrator.role == .admin else {
      throw HubError(.forbidden, "only an admin site resolves conflicts; \(administrator.name) is a \(administrator.role.rawValue) site")
    }
    guard !reason.isEmpty else { throw HubError(.invalidResolution, "a resolution needs a reason, for the audit and for the sites") }
    return try database.inTransaction {
      guard let conflict = try conflict(id) else { throw HubError(.notFound, "no conflict #\(id)") }
      guard administrator.scope.canWrite(conflict.scope) else {
        throw HubError(.forbidden, "conflict #\(id) is in scope \(conflict.scope), outside \(administrator.name)'s scope \(administrator.scope)")
      }
      guard conflict.status == "open" else {
        let note = conflict.resolution.map { " by \($0.resolvedBy) at \($0.resolvedAt): \($0.reason)" } ?? ""
        throw HubError(.invalidResolution, "conflict #\(id) was already resolved\(note)")
      }
      guard conflict.revision == revision else {
        throw HubError(
          .invalidResolution,
          "conflict #\(id) has changed since revision \(revision): newer edits joined it (now revision \(conflict.revision)); look at it again before deciding")
      }
      guard let current = try currentRow(conflict.recordID) else { throw HubError(.notFound, "record \(conflict.recordID) is gone") }
      var state = try resolvedState(of: conflict, current: current.version.state, choice: choice)
      if !state.deleted {
        // A decision carries the whole record: a record written back over a compacted
        // tombstone starts from no fields, so the fields it leaves out (its fiscal year, the
        // defaults) are added in their normal form. What the administrator wrote is kept as
        // written, and the merge refuses it if it is not in normal form.
        do {
          let normal = try Record(kind: conflict.kind, id: conflict.recordID, fields: state.fields).fields
          state.fields = normal.merging(state.fields) { _, written in written }
        } catch {
          let hint = Self.compactedHint(conflict, current: current)
          throw HubError(.invalidResolution, "the resolution makes an invalid record: \(error)" + hint)
        }
      }

      let note = ResolutionNote(
        conflictID: id, resolvedBy: administrator.name, author: administrator.name.rawValue, resolvedAt: timestamp(), reason: reason,
        choice: choice.summary)
      try database.cachedStatement("UPDATE conflicts SET status = 'resolved', resolution = ? WHERE id = ?")
        .execute([.text(try CanonicalJSON.encode(note)), .integer(id)])
      try database.cachedStatement("UPDATE records SET conflict_id = NULL WHERE id = ?").execute([.text(conflict.recordID.rawValue)])

      // The decision is an edit like any other, by the administrator's writer, on top of the
      // merged version: its vector includes every side, so it supersedes them everywhere.
      let writer = WriterID(site: administrator.name, epoch: 1)
      let latest = conflict.sides.map(\.stamp.timestamp).max() ?? .zero
      let wall = Int64(now().timeIntervalSince1970 * 1000)
      let change = Change(
        origin: writer, sequence: try lastSequence(of: writer) + 1, kind: conflict.kind, recordID: conflict.recordID,
        scope: conflict.scope, operation: state.deleted ? .delete : .resolve, fields: state.deleted ? [:] : state.fields,
        vector: current.version.vector.incremented(for: writer), author: administrator.name.rawValue,
        timestamp: wall > latest.milliseconds ? HybridTimestamp(milliseconds: wall) : HybridTimestamp(milliseconds: latest.milliseconds, counter: latest.counter + 1))
      guard let outcome = try receive(change, from: administrator.name, scope: administrator.scope, mayResolve: true), outcome.conflicts.isEmpty
      else {
        throw HubError(.invalidResolution, "the resolution of conflict #\(id) would itself conflict; nothing was changed")
      }
      try database.cachedStatement("UPDATE records SET resolution = ? WHERE id = ?")
        .execute([.text(try CanonicalJSON.encode(note)), .text(conflict.recordID.rawValue)])
      try audit(
        actor: administrator.name.rawValue, action: "resolve", scope: conflict.scope, record: conflict.recordID, conflict: id,
        reason: reason,
        detail: ["choice": choice.summary, "revision": String(revision), "vector": change.vector.description])
      return try currentRow(conflict.recordID).unwrapped().version
    }
  }

  /// The conflicts `filter` selects, oldest first.
  public func conflicts(_ filter: ConflictFilter) throws -> [HubConflict] {
    var sql = "SELECT id, record_id, kind, scope, fields, base, sides, related, revision, opened_at, status, resolution FROM conflicts WHERE 1 = 1"
    var values: [DatabaseValue] = []
    if filter.status != "all" {
      sql += " AND status = ?"
      values.append(.text(filter.status))
    }
    if let scope = filter.scope {
      sql += " AND scope = ?"
      values.append(.text(scope.rawValue))
    }
    if let kind = filter.kind {
      sql += " AND kind = ?"
      values.append(.text(kind.rawValue))
    }
    return try database.prepare(sql + " ORDER BY id").rows(values).map(HubConflict.init)
  }

  /// A conflict, open or resolved.
  public func conflict(_ id: Int64) throws -> HubConflict? {
    try database.cachedStatement(
      "SELECT id, record_id, kind, scope, fields, base, sides, related, revision, opened_at, status, resolution FROM conflicts WHERE id = ?"
    ).firstRow([.integer(id)]).map(HubConflict.init)
  }

  /// Why a decision over a compacted tombstone cannot stand, and what can: the tombstone kept
  /// no fields, and a stale edit's side holds only the fields its site changed, so "scope is
  /// required" alone would leave the administrator guessing.
  private static func compactedHint(_ conflict: HubConflict, current: CurrentRow) -> String {
    guard current.version.state.deleted && current.version.state.fields.isEmpty else { return "" }
    let deleting = conflict.sides.filter(\.state.deleted).map(\.stamp.writer.site.rawValue)
    let confirm = deleting.isEmpty ? "" : "take \(deleting[0])'s side to confirm the delete, or "
    return "; record \(conflict.recordID) was deleted and compacted, so it keeps no fields, and an edit's side holds only "
      + "the fields its site changed: \(confirm)write out the whole record (--edit FILE) to bring it back"
  }

  private func unknownField(_ field: String, of conflict: HubConflict) -> HubError {
    HubError(
      .invalidResolution,
      "\(field) is not a field of conflict #\(conflict.id)'s \(conflict.kind) (its fields: \(conflict.kind.fieldNames.joined(separator: ", ")))")
  }

  private func resolvedState(of conflict: HubConflict, current: RecordState, choice: ResolutionChoice) throws -> RecordState {
    let sidesBySite = Dictionary(conflict.sides.map { ($0.stamp.writer.site, $0) }, uniquingKeysWith: { _, last in last })
    func side(_ site: SiteID) throws -> RecordVersion {
      guard let side = sidesBySite[site] else {
        throw HubError(
          .invalidResolution, "\(site) is not a side of conflict #\(conflict.id); its sides are \(conflict.sides.map(\.stamp.writer.site.rawValue).joined(separator: ", "))")
      }
      return side
    }
    switch choice {
    case .take(let site):
      // The side's values where the sides collide, and its delete if it deleted the record.
      // What the rules merged by themselves stays: another site's edit of a field nobody
      // contested is not undone by a decision about the fields that were.
      let chosen = try side(site)
      guard !chosen.state.deleted else { return RecordState(fields: current.fields, deleted: true) }
      var fields = current.fields
      for field in Set(conflict.fields.map(\.field)) { fields[field] = chosen.state[field] }
      return RecordState(fields: fields)
    case .fields(let map):
      // A misspelt field is named before the colliding fields it leaves out: it is the mistake.
      if let unknown = map.keys.sorted().first(where: { conflict.kind.fieldClasses[$0] == nil }) {
        throw unknownField(unknown, of: conflict)
      }
      let colliding = Set(conflict.fields.map(\.field)).subtracting(["fiscal_year"])
      let missing = colliding.subtracting(map.keys).sorted()
      guard missing.isEmpty else {
        throw HubError(.invalidResolution, "say where each colliding field comes from; missing: \(missing.joined(separator: ", "))")
      }
      var fields = current.fields
      var keptAlive = false
      for (field, site) in map.sorted(by: { $0.key < $1.key }) {
        let chosen = try side(site)
        fields[field] = chosen.state[field]
        keptAlive = keptAlive || !chosen.state.deleted
      }
      return RecordState(fields: fields, deleted: !keptAlive)
    case .record(let written):
      if let unknown = written.keys.sorted().first(where: { conflict.kind.fieldClasses[$0] == nil }) {
        throw unknownField(unknown, of: conflict)
      }
      guard written["scope"] == nil || written["scope"] == .string(conflict.scope.rawValue) else {
        throw HubError(.invalidResolution, "a resolution cannot move the record to another scope")
      }
      return RecordState(fields: current.fields.merging(written) { _, new in new })
    }
  }
}

extension Hub {
  /// For a fund entry's conflict: what each side does to its programme's money in that
  /// fiscal year, so the administrator sees the effect of each choice.
  public func balanceLines(for conflict: HubConflict) throws -> [String] {
    guard conflict.kind == .fundEntry else { return [] }
    var lines: [String] = []
    for side in conflict.sides {
      guard !side.state.deleted, let entry = try? FundEntry(id: conflict.recordID, fields: side.state.fields) else {
        lines.append("  if \(side.stamp.writer.site)'s side is taken: the entry is deleted")
        continue
      }
      let others = try fundEntries(scope: entry.scope, fiscalYear: entry.fiscalYear).map(\.entry).filter { $0.id != entry.id }
      let ledger = "\(entry.programme) \(entry.fiscalYear.bothNames)"
      lines.append(
        "  if \(side.stamp.writer.site)'s side is taken (\(entry.kind.rawValue) \(Self.yen(entry.amount))): \(ledger): "
          + Self.figures(others + [entry], of: entry))
      // Taking the entry keeps both look-alikes counting. If it is the same money booked twice,
      // the office books a correction (the ledger is append-only): the balance is then the
      // ledger without it, which the administrator weighs against the line above.
      // The related records also name closing determinations: only the look-alikes are meant.
      let lookAlikes = others.filter {
        conflict.related.contains($0.id) && $0.kind == entry.kind && $0.amount == entry.amount && $0.programme == entry.programme
      }
      if conflict.fields.contains(where: { $0.rule == .possibleDuplicate }), entry.kind != .correction, !lookAlikes.isEmpty {
        lines.append(
          "  if it is the same money as \(lookAlikes.map(\.id.rawValue).sorted().joined(separator: ", ")) (the office then books a correction of "
            + "\(Self.yen(-entry.amount))): \(ledger): " + Self.figures(others, of: entry))
      }
    }
    return ["money under each choice:"] + lines
  }

  /// The balance of `entry`'s programme, scope and year over `entries`, in words.
  private static func figures(_ entries: [FundEntry], of entry: FundEntry) -> String {
    guard let balance = FundBalance.compute(entries, fiscalYear: entry.fiscalYear).first(where: {
      $0.programme == entry.programme && $0.scope == entry.scope
    }) else { return "no balance" }
    let inflows = [("deposited", balance.deposited), ("interest", balance.interest)].filter { $0.1 != 0 }.map { "\($0.0) \(yen($0.1))" }
    return (["decided \(yen(balance.decided))"] + inflows + ["executed \(yen(balance.executed))", "balance \(yen(balance.balance))"])
      .joined(separator: ", ")
  }

  static func yen(_ amount: Int64) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.groupingSeparator = ","
    return (formatter.string(from: NSNumber(value: amount)) ?? String(amount)) + "円"
  }
}
