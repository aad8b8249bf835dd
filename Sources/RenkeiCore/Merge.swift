/// The merge rules of DESIGN.md as one pure, deterministic function.
///
/// Given the common ancestor and the concurrent versions of a record, it computes the
/// merged state and the fields it could not settle. The sides are put in a canonical
/// order first, so any site merging the same versions computes the same result, whatever
/// order they arrived in.
public enum Merge {
  /// Merges concurrent `sides` of a record of `kind` against their common ancestor.
  ///
  /// - Parameters:
  ///   - base: the common ancestor's state; nil when the sides were created independently
  ///     (two imports of the same source row), in which case every field starts from null.
  ///   - sides: two or more concurrent versions.
  public static func merge(kind: RecordKind, base: RecordState?, sides: [RecordVersion]) -> MergeResult {
    precondition(!sides.isEmpty, "a merge needs at least one side")
    let ordered = canonicalOrder(sides)
    let winner = ordered.last!

    let deleters = ordered.filter { $0.state.deleted }
    let keepers = ordered.filter { !$0.state.deleted }
    if !deleters.isEmpty {
      return mergeDeletion(kind: kind, base: base, keepers: keepers, winner: winner)
    }

    var fields: RecordFields = [:]
    var conflicts: [FieldConflict] = []
    let names = Set(kind.fieldNames).union(ordered.flatMap { $0.state.fields.keys })
    for name in names.sorted() {
      let outcome = mergeField(
        name, of: kind, base: base?[name] ?? .null, values: ordered.map { $0.state[name] }, winnerValue: winner.state[name])
      fields[name] = outcome.value
      if let rule = outcome.conflict { conflicts.append(FieldConflict(field: name, rule: rule)) }
    }
    // Fields that merge one by one can still make an invalid record together (one side
    // moves starts_on past the other side's new ends_on). Then the whole edit goes to a
    // person, with the latest side standing in provisionally.
    if conflicts.isEmpty, (try? Record(kind: kind, id: placeholderID, fields: fields)) == nil {
      let changed = Set(ordered.flatMap { $0.state.changedFields(from: base) })
      let all = changed.sorted().map { FieldConflict(field: $0, rule: .differentValues) }
      return MergeResult(state: winner.state, conflicts: all, provisionalWinner: winner.stamp)
    }
    return MergeResult(state: RecordState(fields: fields), conflicts: conflicts, provisionalWinner: winner.stamp)
  }

  private static let placeholderID = try! RecordID("merge")

  /// Sides ordered by stamp (latest last), then by vector, so the order is total.
  public static func canonicalOrder(_ sides: [RecordVersion]) -> [RecordVersion] {
    sides.sorted { lhs, rhs in
      if lhs.stamp != rhs.stamp { return lhs.stamp < rhs.stamp }
      return lhs.vector.description < rhs.vector.description
    }
  }

  /// Merges one field. Returns the value and, when it could not be settled, the rule.
  static func mergeField(
    _ name: String, of kind: RecordKind, base: FieldValue, values: [FieldValue], winnerValue: FieldValue
  ) -> (value: FieldValue, conflict: ConflictRule?) {
    let changed = values.filter { $0 != base }
    if changed.isEmpty { return (base, nil) }
    let distinctChanged = Set(changed)
    let mergeClass = kind.fieldClasses[name] ?? .scalar

    switch mergeClass {
    case .money:
      // Money merges only when every side holds the same value: a one-sided change of an
      // amount concurrent with any other edit of the entry still goes to a person.
      return Set(values).count == 1 ? (values[0], nil) : (winnerValue, .money)
    case .identity, .scalar:
      return distinctChanged.count == 1 ? (changed[0], nil) : (winnerValue, .differentValues)
    case .set:
      let merged = SetMerge.mergeSorted(base: strings(base), sides: values.map(strings))
      return (.strings(merged), nil)
    case .text:
      if distinctChanged.count == 1 { return (changed[0], nil) }
      switch TextMerge.merge(base: text(base), sides: values.map(text)) {
      case .merged(let merged): return (.text(merged), nil)
      case .conflict: return (winnerValue, .overlappingText)
      }
    }
  }

  /// Edit against delete is a conflict unless no surviving side changed anything.
  private static func mergeDeletion(
    kind: RecordKind, base: RecordState?, keepers: [RecordVersion], winner: RecordVersion
  ) -> MergeResult {
    let edited = Set(keepers.flatMap { $0.state.changedFields(from: base) })
    if edited.isEmpty {
      let fields = base?.fields ?? winner.state.fields
      return MergeResult(state: RecordState(fields: fields, deleted: true), conflicts: [], provisionalWinner: winner.stamp)
    }
    let conflicts = edited.sorted().map { FieldConflict(field: $0, rule: .editDelete) }
    if winner.state.deleted {
      let fields = base?.fields ?? winner.state.fields
      return MergeResult(state: RecordState(fields: fields, deleted: true), conflicts: conflicts, provisionalWinner: winner.stamp)
    }
    // The edit wins provisionally: merge the surviving sides among themselves.
    let survivors = keepers.count == 1
      ? MergeResult(state: keepers[0].state, conflicts: [], provisionalWinner: keepers[0].stamp)
      : merge(kind: kind, base: base, sides: keepers)
    let all = Set(conflicts).union(survivors.conflicts).sorted()
    return MergeResult(state: survivors.state, conflicts: all, provisionalWinner: winner.stamp)
  }

  private static func strings(_ value: FieldValue) -> [String] {
    if case .strings(let values) = value { return values }
    return []
  }

  private static func text(_ value: FieldValue) -> String {
    if case .string(let value) = value { return value }
    return ""
  }
}
