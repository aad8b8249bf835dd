import RenkeiCore
import RenkeiReports
import RenkeiStore

extension RecordKind {
  /// How messages name a record of this kind: `event`, `fund entry`, `note`.
  var spokenName: String {
    switch self {
    case .event: return "event"
    case .fundEntry: return "fund entry"
    case .note: return "note"
    }
  }

  /// The name with its article: `an event`, `a fund entry`, `a note`.
  var spokenNameWithArticle: String { self == .event ? "an event" : "a \(spokenName)" }

  /// The `renkei` command that keeps records of this kind.
  var commandName: String {
    switch self {
    case .event: return "event"
    case .fundEntry: return "fund"
    case .note: return "note"
    }
  }
}

extension Replica {
  /// The record `id` if it is of `kind`, tombstones included when `includeDeleted`.
  /// - Throws: ``AgentError`` `unknownRecord`: `no event with id …`, saying what the id
  ///   names instead when it is a record of another kind, or that it was deleted.
  func stored(_ id: RecordID, _ kind: RecordKind, includeDeleted: Bool = false) throws -> StoredRecord {
    guard let stored = try record(id) else {
      throw AgentError(.unknownRecord, "no \(kind.spokenName) with id \(id)")
    }
    guard stored.kind == kind else {
      throw AgentError(
        .unknownRecord,
        "no \(kind.spokenName) with id \(id): it is \(stored.kind.spokenNameWithArticle) (see renkei \(stored.kind.commandName) show \(id))"
      )
    }
    guard includeDeleted || !stored.state.deleted else {
      throw AgentError(.unknownRecord, "\(kind.spokenName) \(id) was deleted")
    }
    return stored
  }
}

extension AgentReplica {
  /// Runs a write, turning the replica's refusal into one line that says nothing was saved
  /// and why (exit 1). `what` names the record: `the event`, `fund entry x1`.
  static func saving<T>(_ what: String, _ write: () throws -> T) throws -> T {
    do {
      return try write()
    } catch let error as ReplicaError {
      throw AgentError(error.code == .unknownRecord ? .unknownRecord : .badInput, "\(what) was not saved: \(error.message)")
    }
  }
}

extension RecordState {
  /// A text field's value, nil when absent or empty.
  func text(_ name: String) -> String? {
    if case .string(let value) = self[name], !value.isEmpty { return value }
    return nil
  }

  func integer(_ name: String) -> Int64? {
    if case .integer(let value) = self[name] { return value }
    return nil
  }

  /// A set field's members, empty when absent.
  func list(_ name: String) -> [String] {
    if case .strings(let values) = self[name] { return values }
    return []
  }

  func date(_ name: String) -> RecordDate? {
    text(name).flatMap { try? RecordDate(iso: $0) }
  }

  func fiscalYear() -> FiscalYear? {
    integer("fiscal_year").map { FiscalYear(Int($0)) }
  }
}

/// Shared pieces of the record views.
enum RecordText {
  /// `2023-05-30 (令和5年5月30日)`, `2020-10 (令和2年10月)`.
  static func date(_ date: RecordDate?) -> String? {
    date.map { "\($0.iso) (\(DateInput.japanese($0)))" }
  }

  /// What `show` prints below a record's fields: its deletion, its last version, whether
  /// it waits to be pushed, and its open conflict.
  static func status(of stored: StoredRecord, into view: inout FieldView) {
    let stamp = stored.version.stamp
    view.append("last change", "\(StampText.time(stamp.timestamp)) by \(StampText.who(stamp.writer, author: stamp.author))")
    if stored.state.deleted { view.append("deleted", "yes (a tombstone that syncs)") }
    if stored.hasLocalEdits { view.append("sync", "local edits wait to be pushed (renkei sync)") }
    if let conflict = stored.conflict {
      view.append(
        "in conflict",
        "#\(conflict.id) between \(conflict.sites.map(\.rawValue).joined(separator: " and ")) on \(conflict.conflicts.map(\.field).joined(separator: ", ")): see renkei conflicts"
      )
    }
  }

  /// `1 event`, `35 events`.
  static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
  }
}
