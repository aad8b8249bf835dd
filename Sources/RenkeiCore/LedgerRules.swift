/// The conflict rules that look beyond one record: duplicate fund entries and closed years.
public enum LedgerRules {
  /// Entries made at another site that look like the same transaction as `entry`: same
  /// scope, programme, kind, amount and date. Both still count; a person decides.
  public static func possibleDuplicates(
    of entry: FundEntry, madeAt site: SiteID, among others: [(entry: FundEntry, site: SiteID)]
  ) -> [RecordID] {
    others.filter { other in
      other.site != site && other.entry.id != entry.id && other.entry.scope == entry.scope
        && other.entry.programme == entry.programme && other.entry.kind == entry.kind
        && other.entry.amount == entry.amount && other.entry.occurredOn == entry.occurredOn
        && other.entry.fiscalYear == entry.fiscalYear
    }.map(\.entry.id).sorted()
  }

  /// The final determination that closes `record`'s fiscal year in its scope, if any.
  ///
  /// A year is closed for a scope once a final determination of any programme is recorded
  /// for it: after that, edits of that scope's records of that year go to a person. The
  /// determination itself and corrections of it are not closed by it, or a mistaken
  /// determination could never be put right.
  public static func closingDetermination(for record: Record, among determinations: [FundEntry]) -> FundEntry? {
    if case .fundEntry(let entry) = record,
      entry.kind == .finalDetermination || determinations.contains(where: { $0.id == entry.corrects })
    {
      return nil
    }
    return determinations.filter {
      $0.kind == .finalDetermination && $0.scope == record.scope && $0.fiscalYear == record.fiscalYear
        && $0.id != record.id
    }.min { $0.id < $1.id }
  }
}
