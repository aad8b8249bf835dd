import Foundation
import RenkeiCore
import RenkeiStore

extension Hub {
  /// Compacts the tombstones the hub stored at or before `horizon`: each deleted record keeps
  /// its id, kind, scope, vector and deleted mark, and loses its fields, its version
  /// history and the content of its changes (each change keeps its number and a SHA-256
  /// of its content, so a redelivery is still recognised as the same change).
  ///
  /// A record with an open conflict is left whole: the administrator still needs its sides.
  /// The compacted tombstone takes a new feed position, so replicas that pull it drop the
  /// fields of their own tombstone too.
  ///
  /// A site that was offline past the horizon and later sends an edit of such a record is
  /// not refused, and the record does not come back: the edit goes to the conflict queue
  /// (`edit-delete`) with the tombstone standing, for an administrator to decide.
  ///
  /// A tombstone is compacted only once the hub has sent it to every site that may read it
  /// (see ``SiteRegistration/pulledThrough``): until then it is kept whole and counted in
  /// ``TombstoneCompaction/heldBack``, with the sites it waits for. Revoked and admin sites
  /// are not waited for, nor the sites named in `ignoring` (an office the bureau will not
  /// wait for any longer).
  ///
  /// It also drops the pull feed's superseded entries, of any record: pulls skip them, but
  /// a replica pulling from far back would read through them.
  @discardableResult
  public func compactTombstones(storedBefore horizon: Date, ignoring: Set<SiteID> = []) throws -> TombstoneCompaction {
    for name in ignoring.sorted(by: { $0.rawValue < $1.rawValue }) where try site(named: name) == nil {
      throw HubError(.invalidSite, "no site named \(name) is registered")
    }
    var compaction = try database.inTransaction {
      var compaction = TombstoneCompaction()
      let readers = try sites().filter { !$0.isRevoked && $0.role != .admin && !ignoring.contains($0.name) }
      var waitingFor: Set<SiteID> = []
      let candidates = try database.prepare(
        """
        SELECT r.id, r.stamp, r.stored_at, r.scope, r.feed_position FROM records r
        WHERE r.deleted = 1 AND (r.compacted_vector IS NULL OR r.compacted_vector <> r.vector OR r.state <> '{}')
          AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.record_id = r.id AND c.status = 'open')
        ORDER BY r.id
        """
      ).rows()
      var compacted: Set<String> = []
      for row in candidates {
        // Rows stored before the hub kept `stored_at` fall back to the delete's own clock reading.
        let stamp = try CanonicalJSON.decode(VersionStamp.self, from: try row.string(1))
        let storedAt =
          try row.optionalInt64(2).map { Date(timeIntervalSince1970: Double($0)) }
          ?? Date(timeIntervalSince1970: Double(stamp.timestamp.milliseconds) / 1000)
        guard storedAt <= horizon else { continue }
        let scope = try Scope(try row.string(3))
        let position = UInt64(max(try row.int64(4), 0))
        let waiting = readers.filter { $0.pulledThrough < position && $0.scope.readableScopes.contains(scope) }
        guard waiting.isEmpty else {
          compaction.heldBack += 1
          waitingFor.formUnion(waiting.map(\.name))
          continue
        }
        let id = try RecordID(try row.string(0))
        compaction.versionsDropped += try compactTombstone(id)
        compaction.records += 1
        compacted.insert(id.rawValue)
      }
      compaction.changeBodiesDropped = try digestChangeBodies(of: compacted)
      compaction.waitingFor = waitingFor.sorted { $0.rawValue < $1.rawValue }
      return compaction
    }
    compaction.feedEntriesDropped = try dropSupersededFeedEntries()
    return compaction
  }

  /// Replaces the record's fields and history with its tombstone; returns how many old
  /// versions were dropped.
  private func compactTombstone(_ id: RecordID) throws -> Int {
    let current = try currentRow(id).unwrapped("record")
    let tombstone = RecordVersion(
      kind: current.kind, recordID: id, state: RecordState(fields: [:], deleted: true), vector: current.version.vector,
      stamp: current.version.stamp)
    let versions = try deleteHistory(of: current)
    // The tombstone itself stays as the one stored version, so edits made on it are still named.
    let stored = try storeVersion(tombstone, after: nil)
    try storeCurrent(tombstone, scope: current.scope, createdBy: current.createdBy, frontier: [tombstone.vector], lastVersion: stored)
    try database.cachedStatement("UPDATE records SET compacted_vector = vector WHERE id = ?").execute([.text(id.rawValue)])
    return max(versions - 1, 0)
  }

  /// Drops the feed entries whose record has moved on to a later position since (see
  /// migration 009); returns how many. The feed is read in slices of `slice` entries, each
  /// in a transaction of its own, so pushes wait for one slice at most, not the whole feed.
  func dropSupersededFeedEntries(slice: Int = 10_000) throws -> Int {
    var dropped = 0
    var after: (scope: String, position: Int64) = ("", 0)
    while true {
      let read = try database.inTransaction {
        let entries = try database.cachedStatement(
          """
          SELECT f.scope, f.position, EXISTS (SELECT 1 FROM records r WHERE r.number = f.record AND r.feed_position = f.position)
          FROM feed f WHERE (f.scope, f.position) > (?, ?) ORDER BY f.scope, f.position LIMIT ?
          """
        ).rows([.text(after.scope), .integer(after.position), .integer(Int64(slice))])
        for entry in entries where try entry.int64(2) == 0 {
          try database.cachedStatement("DELETE FROM feed WHERE scope = ? AND position = ?")
            .execute([.text(try entry.string(0)), .integer(try entry.int64(1))])
          dropped += 1
        }
        return try entries.last.map { (scope: try $0.string(0), position: try $0.int64(1), count: entries.count) }
      }
      guard let read, read.count == slice else { return dropped }
      after = (read.scope, read.position)
    }
  }

  /// Replaces the content of every change of the records `ids` with its SHA-256; returns how
  /// many it replaced. The change log has no index by record (one would cost every change a
  /// write at a random place), so this reads it once for all the records compacted together,
  /// instead of once per record.
  private func digestChangeBodies(of ids: Set<String>) throws -> Int {
    guard !ids.isEmpty else { return 0 }
    // Digests, not bodies, are held until the read ends: a first compaction of a large hub
    // may cover a great many changes.
    var digests: [(row: Int64, digest: String)] = []
    try database.prepare("SELECT rowid, record_id, body FROM changes").forEachRow { row in
      guard ids.contains(try row.string(1)) else { return }
      let body = try row.string(2)
      if !body.hasPrefix(Self.digestPrefix) { digests.append((try row.int64(0), Self.digestPrefix + SHA256.hexDigest(of: body))) }
    }
    for (row, digest) in digests {
      try database.cachedStatement("UPDATE changes SET body = ? WHERE rowid = ?").execute([.text(digest), .integer(row)])
    }
    return digests.count
  }

  /// Takes in a change built on history that compaction dropped (a site offline past the
  /// horizon edited a record deleted since). Its parent cannot be named, so no rule can merge
  /// it: the record keeps its state — a tombstone stays a tombstone — under a vector that
  /// includes the change, and the change joins the record's conflict as a side, for a person.
  func mergeEditOfCompactedRecord(_ change: Change, existing: CurrentRow) throws -> [Int64] {
    let current = existing.version
    // Already included: an older edit the hub merged before it compacted the record.
    if current.vector.dominatesOrEquals(change.vector) { return existing.openConflict.map { [$0] } ?? [] }
    let kept = RecordVersion(
      kind: current.kind, recordID: current.recordID, state: current.state, vector: current.vector.merged(with: change.vector),
      stamp: current.stamp)
    let stored = try storeVersion(kept, after: existing.lastVersion)
    try storeCurrent(kept, scope: existing.scope, createdBy: existing.createdBy, frontier: [kept.vector], lastVersion: stored)
    // A late delete of a record that is already deleted settles by itself, as 7.2 has it.
    if change.operation == .delete && current.state.deleted && existing.openConflict == nil { return [] }

    // The side holds what the site wrote; when the site's earlier stale edit is already a
    // side, this change continues it.
    var fields = change.fields
    if let open = existing.openConflict, let conflict = try conflict(open),
      let earlier = conflict.sides.first(where: { $0.stamp.writer == change.origin && $0.vector == change.parentVector })
    {
      fields = earlier.state.fields.merging(change.fields) { _, new in new }
    }
    let side = RecordVersion(
      kind: change.kind, recordID: change.recordID, state: RecordState(fields: fields, deleted: change.operation == .delete),
      vector: change.vector, stamp: change.stamp)
    let colliding = change.fields.keys.filter { $0 != "scope" }.sorted().map { FieldConflict(field: $0, rule: .editDelete) }
    let resolved = ResolvedVersion(version: kept, base: nil, sides: Merge.canonicalOrder([current, side]), conflicts: colliding)
    // The side usually holds only the fields the site changed, so it is seldom a whole record.
    let record = side.state.deleted ? nil : try? Record(kind: change.kind, id: change.recordID, fields: side.state.fields)
    return try keepConflictQueue(for: change, resolved: resolved, edit: side, record: record, openConflict: existing.openConflict)
  }

  /// Whether `change` was written on a version at or before the compacted tombstone, apart
  /// from the writer's own later edits of it (a site offline long enough may edit twice).
  static func buildsOnCompactedHistory(_ change: Change, compacted: VersionVector) -> Bool {
    let others = change.parentVector.sortedEntries.filter { $0.writer != change.origin }
    return compacted.dominatesOrEquals(VersionVector(Dictionary(uniqueKeysWithValues: others.map { ($0.writer, $0.count) })))
  }

  /// How a change stored after compaction begins: the rest is the SHA-256 of its content.
  static let digestPrefix = "sha256:"

  /// Whether a stored change body — whole, or its digest after compaction — is `encoded`.
  ///
  /// A whole body stored before text was normalised as it is now (CR LF line endings were
  /// once kept) reads back in today's normal form: a replica delivering that change again
  /// sends the same change, and must not be told its epoch was reused.
  static func storedBody(_ stored: String, matches encoded: String) -> Bool {
    if stored.hasPrefix(digestPrefix) { return stored == digestPrefix + SHA256.hexDigest(of: encoded) }
    if stored == encoded { return true }
    return (try? CanonicalJSON.encode(CanonicalJSON.decode(Change.self, from: stored))) == encoded
  }
}
