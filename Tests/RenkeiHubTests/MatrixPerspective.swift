import RenkeiCore

/// Whose view a token's requests take in the authorization matrix: the site whose changes
/// it pushes, and which of the hub's records, conflicts and audit entries are its own and
/// which another prefecture's.
struct MatrixPerspective {
  /// The site the pushed changes come from (for the token-less columns, the site whose
  /// replica would have sent them).
  var site: String
  var scope: String
  var ownEvent: RecordID
  var ownEventTitle: String
  var otherScope: String
  var otherEvent: RecordID
  var otherEventTitle: String
  /// An open conflict in the own scope, left open: shown, and refused a resolution that
  /// would move the record to `otherScope`.
  var ownConflict: Int64
  /// An open conflict in the own scope that the administrator's cell resolves.
  var conflictToSettle: Int64
  var otherConflict: Int64
  /// Records the audit holds a resolution of, in the own bureau and in the other's.
  var ownAuditedRecord: RecordID
  var otherAuditedRecord: RecordID
  /// The one fund entry's yen in the own scope and in the other's (FY2023).
  var ownFundYen: Int64
  var otherFundYen: Int64
}
