import RenkeiCore

extension RecordState {
  /// The `fiscal_year` column of a records row (the replica's and the hub's) holding this
  /// state: its fiscal year, or NULL. Both stores keep the column equal to it, which is what
  /// lets an edit that keeps the year leave the column, and its index entry, alone.
  public var fiscalYearColumn: DatabaseValue {
    if case .integer(let year) = self["fiscal_year"] { return .integer(year) }
    return .null
  }
}
