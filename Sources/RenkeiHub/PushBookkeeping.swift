import RenkeiCore

/// What a push counts as it goes and writes once when it ends: the last sequence of each
/// writer it stored changes from, and the feed's counter. Writing both with every change
/// was two of the eight statements a merge ran per change.
///
/// Lives only inside the push's transaction: a push that fails rolls back and drops it,
/// so the database never sees counts of changes it does not hold.
struct PushBookkeeping {
  /// The last sequence held from each writer this push looked at, stored or just received.
  var lastSequences: [WriterID: UInt64] = [:]
  /// The writers this push stored changes from, whose `writers` rows it must write.
  var advancedWriters: Set<WriterID> = []
  /// The last feed position given, once this push has read the counter.
  var feedPosition: UInt64?
  /// Whether this push gave out feed positions, so the counter must be written.
  var feedAdvanced = false
}
