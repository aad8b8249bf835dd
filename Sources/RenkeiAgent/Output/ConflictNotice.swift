import RenkeiStore

/// The line an edit prints when its record is in conflict: the edit is kept, but it joins the
/// conflict at the hub instead of settling it, which staff would not guess from "edited".
enum ConflictNotice {
  static func afterEdit(of stored: StoredRecord, kind: String) -> String? {
    guard let conflict = stored.conflict else { return nil }
    return "note: this \(kind) is in conflict #\(conflict.id) (renkei conflicts shows it); your edit joins the conflict when you sync, "
      + "and the bureau's administrator decides"
  }
}
