import RenkeiCore

/// A record's history from the hub as lines of text, one per edit: when (Japan time), who,
/// what, which fields. `renkei log ID --hub` and `renkei-hub history ID` print it.
public enum RecordHistoryText {
  /// The page's lines, oldest first; `mark` adds a note at the end of an entry's line (the
  /// agent marks its own edits).
  public static func lines(_ page: RecordHistoryPage, mark: (RecordHistoryEntry) -> String = { _ in "" }) -> [String] {
    var lines: [String] = []
    if !page.complete { lines.append("(the hub compacted this deleted record: its older edits are no longer kept)") }
    for entry in page.entries {
      // An edit or decision that changed no field (a decision confirming the version every
      // replica already showed) says so; a delete names none.
      let unchanged = entry.operation == .delete ? "" : " (no field changed)"
      let fields = entry.fields.map { $0.isEmpty ? unchanged : " " + $0.joined(separator: ", ") } ?? " (fields unknown)"
      let who = StampText.who(entry.stamp.writer, author: entry.stamp.author)
      lines.append("\(StampText.time(entry.stamp.timestamp))  \(who)  \(entry.operation.rawValue)\(fields)\(mark(entry))")
    }
    return lines
  }
}
