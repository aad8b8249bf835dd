import Foundation
import RenkeiCore
import RenkeiReports

/// How `renkei-hub conflicts list` and `conflicts show` put a conflict in front of the
/// administrator: field by field, base and each side, the colliding fields marked, long
/// texts as a unified diff against the base.
public enum ConflictReport {
  /// One line per conflict.
  public static func list(_ conflicts: [HubConflict]) -> String {
    guard !conflicts.isEmpty else { return "no conflicts" }
    return conflicts.map { conflict in
      let sites = Array(Set(conflict.sides.map(\.stamp.writer.site.rawValue))).sorted().joined(separator: " vs ")
      let fields = conflict.fields.map { "\($0.field) (\($0.rule.rawValue))" }.joined(separator: ", ")
      let status = conflict.status == "open" ? "open since \(conflict.openedAt)" : "resolved"
      return "#\(conflict.id)  \(conflict.kind.rawValue)  \(conflict.recordID)  scope \(conflict.scope)  \(sites)  \(fields)  \(status)"
    }.joined(separator: "\n")
  }

  /// The whole conflict, for deciding it. `record`, the record as the hub holds it now, tells
  /// a compacted tombstone, on which only some decisions can stand.
  public static func show(_ conflict: HubConflict, balances: [String] = [], record: RecordVersion? = nil) -> String {
    var lines: [String] = []
    lines.append("conflict #\(conflict.id) on \(conflict.kind.rawValue) \(conflict.recordID) (scope \(conflict.scope)), revision \(conflict.revision), \(conflict.status), opened \(conflict.openedAt)")
    for side in conflict.sides {
      lines.append("  side \(side.stamp.writer.site): by \(side.stamp.author) (\(side.stamp.writer)) at \(time(side.stamp.timestamp))\(side.state.deleted ? " — DELETED the record" : "")")
    }
    if !conflict.related.isEmpty { lines.append("  related records: \(conflict.related.map(\.rawValue).joined(separator: ", "))") }
    let colliding = Dictionary(conflict.fields.map { ($0.field, $0.rule) }, uniquingKeysWith: { first, _ in first })
    let names = conflict.kind.fieldNames.filter { name in
      colliding[name] != nil || conflict.sides.contains { $0.state[name] != (conflict.base?[name] ?? .null) }
    }
    lines.append("")
    for name in names {
      let marker = colliding[name].map { "  ← colliding (\($0.rawValue))" } ?? ""
      lines.append("\(colliding[name] == nil ? " " : "*") \(name)\(marker)")
      let base = conflict.base?[name] ?? .null
      if isLongText(base) || conflict.sides.contains(where: { isLongText($0.state[name]) }) {
        for side in conflict.sides {
          let diff = TextDiff.unified(from: text(base), to: text(side.state[name]))
          lines.append("    \(side.stamp.writer.site):" + (diff.isEmpty ? " unchanged from base" : ""))
          lines += diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "      " + $0 }
        }
      } else {
        lines.append("    base: \(shown(base, of: name, in: conflict.kind))")
        for side in conflict.sides {
          lines.append("    \(side.stamp.writer.site): \(side.state.deleted ? "(deleted)" : shown(side.state[name], of: name, in: conflict.kind))")
        }
      }
    }
    if !balances.isEmpty {
      lines.append("")
      lines += balances
    }
    if let note = conflict.resolution {
      lines.append("")
      lines.append("resolved by \(note.author) at \(note.resolvedAt): \(note.choice) — \(note.reason)")
    } else if let record, record.state.deleted && record.state.fields.isEmpty {
      // The tombstone kept no fields and a stale edit holds only what its site changed, so
      // neither taking the edit nor a field of it makes a whole record.
      let deleting = conflict.sides.first(where: \.state.deleted)?.stamp.writer.site.rawValue ?? "SITE"
      lines.append("")
      let resolve = "  renkei-hub conflicts resolve \(conflict.id) --revision \(conflict.revision)"
      lines.append("the record was deleted and compacted: it keeps no fields, and an edit holds only what its site changed.")
      lines.append("decide with one of:")
      lines.append("\(resolve) --take \(deleting) --reason \"…\"   (confirms the delete)")
      lines.append("\(resolve) --edit record.json --reason \"…\"   (brings it back: write out the whole record)")
    } else {
      let sites = Array(Set(conflict.sides.map(\.stamp.writer.site.rawValue))).sorted()
      lines.append("")
      lines.append("decide with one of:")
      lines.append("  renkei-hub conflicts resolve \(conflict.id) --revision \(conflict.revision) --take \(sites.first ?? "SITE") --reason \"…\"")
      let fieldChoice = conflict.fields.map { "--field \($0.field)=\(sites.last ?? "SITE")" }.joined(separator: " ")
      lines.append("  renkei-hub conflicts resolve \(conflict.id) --revision \(conflict.revision) \(fieldChoice) --reason \"…\"")
      lines.append("  renkei-hub conflicts resolve \(conflict.id) --revision \(conflict.revision) --edit record.json --reason \"…\"")
    }
    return lines.joined(separator: "\n")
  }

  /// A value as the administrator reads it: a fund entry's amount in yen with its commas,
  /// as `renkei conflicts` and the money lines show it (`--field` still takes the plain
  /// number); anything else as stored.
  static func shown(_ value: FieldValue, of field: String, in kind: RecordKind) -> String {
    if kind == .fundEntry, field == "amount", case .integer(let yen) = value { return YenText.full(yen) }
    return "\(value)"
  }

  static func isLongText(_ value: FieldValue) -> Bool {
    if case .string(let text) = value { return text.contains("\n") }
    return false
  }

  static func text(_ value: FieldValue) -> String {
    if case .string(let text) = value { return text }
    return ""
  }

  static func time(_ timestamp: HybridTimestamp) -> String {
    ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000))
  }
}
