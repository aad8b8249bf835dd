import Foundation
import RenkeiCore
import RenkeiStore

/// The bureau's hub as a library: it takes in the changes sites push, merges them into
/// each record's current version by the rules of ``Merge``, queues what the rules cannot
/// settle, and serves every site the current versions in its scope.
///
/// Not Sendable: the hub wraps one SQLite connection; its server serialises requests to it.
public final class Hub {
  public let database: Database
  /// The wall clock, for the time a conflict is opened; replaceable in tests.
  public var now: @Sendable () -> Date = { Date() }
  private var lastStoredText: (version: RecordVersion, text: StoredVersionText)?
  /// One formatter for every timestamp the hub writes: making one for each conflict opened
  /// showed in the merge profile.
  let timestampFormatter = ISO8601DateFormatter()
  /// Set while a push runs; see ``PushBookkeeping``.
  private var bookkeeping: PushBookkeeping?

  /// Opens (creating if needed) the hub database at `path`.
  public init(path: String) throws {
    do {
      database = try Database(path: path, options: Self.databaseOptions)
      // A 64 MiB page cache instead of SQLite's 2 MiB: record ids are random, so every merge
      // touches index pages all over a large file, and with the default cache a hub holding
      // a million changes read most of them back from the file for each change.
      try database.execute(Self.pageCachePragma)
      try Self.requireHubOrEmpty(database, path: path)
      try HubSchema.migrator.migrate(database)
    } catch let error as SQLiteError where error.resultCode == SQLiteError.corrupt || error.resultCode == SQLiteError.notadb {
      throw HubStorageError(
        "\(path) is damaged or is not a hub database (SQLite: \(error.message)); "
          + "restore the hub from a backup (renkei-hub restore, see the README)")
    }
  }

  /// Refuses another program's database, or a replica's, before a hub's tables are added to
  /// it: a hub's file is new, empty, or records the hub's own first schema step.
  private static func requireHubOrEmpty(_ database: Database, path: String) throws {
    let tables = try database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").rows().map { try $0.string(0) }
    guard !tables.isEmpty else { return }
    let first =
      tables.contains("renkei_migrations")
      ? try database.prepare("SELECT name FROM renkei_migrations ORDER BY rowid LIMIT 1").firstRow().map { try $0.string(0) } : nil
    guard first == HubSchema.firstStep else {
      throw HubStorageError(
        "\(path) is not a hub database (\(first.map { "a Renkei database whose first schema step is \($0)" } ?? "it holds other tables")); "
          + "move it aside, or restore the hub from a backup")
    }
  }

  /// The page cache the hub runs with (public so a benchmark's baseline can run with it too).
  public static let pageCachePragma = "PRAGMA cache_size = -65536"

  /// How the hub opens its database (public for the same reason).
  ///
  /// Pages of 2 KiB instead of SQLite's 4 KiB, for hub databases made from now on (an
  /// existing file keeps the size it has). A merge rewrites a few rows at random places in
  /// a large file (the record's row and its id's index entry; until schema steps 008 and
  /// 009, the history's and the feed's index entries too), and SQLite writes a whole page
  /// for each, twice (to the WAL, then at the checkpoint). In the benchmark's growth
  /// workload, with those indexes, 2 KiB pages cut the bytes written per change at a
  /// million changes from 28 KB to 18 KB; its time there grew less with the history (1.73
  /// times the 10k figure on average over eight runs, against 1.94 over four with 4 KiB
  /// pages; single runs vary by 0.2). 1 KiB pages were slower (rows spill into overflow
  /// pages, indexes grow deeper). The price: a tenth more disk, and about 20 MiB more
  /// memory for the same 64 MiB cache, which now holds twice as many pages.
  ///
  /// Checkpoints run on a queue of their own (``BackgroundCheckpointer``): copying the WAL
  /// back to those scattered places, and waiting for the disk to sync them, was what grew
  /// with the history, and a push (which the site waits for) no longer includes it.
  public static let databaseOptions: Database.Options = {
    var options = Database.Options()
    options.pageSize = 2048
    options.checkpointsInBackground = true
    return options
  }()

  // MARK: Push

  /// Applies a push from `site`, whose token grants `scope`, all or nothing.
  ///
  /// Changes already stored are acknowledged again and stored nothing new; the first
  /// change that breaks a rule refuses the whole push and nothing of it is kept.
  @discardableResult
  public func push(_ changes: [Change], from site: SiteID, scope: Scope) throws -> PushResult {
    try database.inTransaction {
      bookkeeping = PushBookkeeping()
      defer { bookkeeping = nil }
      var applied = 0
      var touchedConflicts: Set<Int64> = []
      for change in changes {
        if let conflict = try receive(change, from: site, scope: scope) {
          touchedConflicts.formUnion(conflict.conflicts)
          if conflict.isNew { applied += 1 }
        }
      }
      // The acknowledgement is for the writer of the last change, as the hub now holds it.
      let acknowledged = try changes.last.map { try lastSequence(of: $0.origin) } ?? 0
      try writeBookkeeping()
      return PushResult(acknowledgedSequence: acknowledged, applied: applied, conflicts: touchedConflicts.sorted())
    }
  }

  /// The last sequence stored from `writer`, zero when none.
  public func lastSequence(of writer: WriterID) throws -> UInt64 {
    if let held = bookkeeping?.lastSequences[writer] { return held }
    let row = try database.cachedStatement("SELECT last_sequence FROM writers WHERE site = ? AND epoch = ?")
      .firstRow([.text(writer.site.rawValue), .integer(Int64(writer.epoch))])
    let last = try row.map { UInt64(try $0.int64(0)) } ?? 0
    bookkeeping?.lastSequences[writer] = last
    return last
  }

  /// Records that `writer`'s changes are stored up to `sequence`: at once outside a push,
  /// at the push's end inside one.
  private func advance(_ writer: WriterID, to sequence: UInt64) throws {
    guard bookkeeping != nil else { return try storeLastSequence(sequence, of: writer) }
    bookkeeping?.lastSequences[writer] = sequence
    bookkeeping?.advancedWriters.insert(writer)
  }

  private func storeLastSequence(_ sequence: UInt64, of writer: WriterID) throws {
    try database.cachedStatement(
      "INSERT INTO writers(site, epoch, last_sequence) VALUES (?, ?, ?) ON CONFLICT(site, epoch) DO UPDATE SET last_sequence = excluded.last_sequence"
    ).execute([.text(writer.site.rawValue), .integer(Int64(writer.epoch)), .integer(Int64(sequence))])
  }

  /// Writes what the push counted in memory, inside its transaction.
  private func writeBookkeeping() throws {
    guard let bookkeeping else { return }
    for writer in bookkeeping.advancedWriters.sorted(by: { $0.rawValue < $1.rawValue }) {
      try storeLastSequence(try bookkeeping.lastSequences[writer].unwrapped("last sequence"), of: writer)
    }
    if bookkeeping.feedAdvanced, let position = bookkeeping.feedPosition {
      try database.cachedStatement(
        "INSERT INTO hub_meta(key, value) VALUES ('feed_position', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1"
      ).execute([.text(String(position))])
    }
  }

  /// The highest epoch the hub has seen from `site`.
  public func latestEpoch(of site: SiteID) throws -> UInt32 {
    let row = try database.cachedStatement("SELECT max(epoch) FROM writers WHERE site = ?").firstRow([.text(site.rawValue)])
    return try row.flatMap { try $0.optionalInt64(0) }.map { UInt32($0) } ?? 0
  }

  func receive(_ change: Change, from site: SiteID, scope: Scope, mayResolve: Bool = false) throws -> (isNew: Bool, conflicts: [Int64])? {
    do { try change.checkShape() } catch {
      throw HubError(.invalidChange, "change \(change.origin)#\(change.sequence): \(error.message)")
    }
    guard change.operation != .resolve || mayResolve else {
      throw HubError(.forbidden, "change \(change.origin)#\(change.sequence) is a resolution; only the hub's administrators resolve conflicts")
    }
    guard change.origin.site == site else {
      throw HubError(.forbidden, "change \(change.origin)#\(change.sequence) comes from \(change.origin.site); \(site) may push only its own changes")
    }
    guard scope.canWrite(change.scope) else {
      throw HubError(.forbidden, "change \(change.origin)#\(change.sequence) writes record \(change.recordID) of scope \(change.scope), outside \(site)'s scope \(scope)")
    }
    let last = try lastSequence(of: change.origin)
    if change.sequence <= last {
      let stored = try database.cachedStatement("SELECT body FROM changes WHERE site = ? AND epoch = ? AND sequence = ?")
        .firstRow([.text(site.rawValue), .integer(Int64(change.origin.epoch)), .integer(Int64(change.sequence))])
      guard let stored, Self.storedBody(try stored.string(0), matches: try CanonicalJSON.encode(change)) else {
        throw HubError(
          .epochReused,
          "change \(change.origin)#\(change.sequence) differs from the one stored under that number: the replica was restored from a copy and must begin a new epoch")
      }
      return (false, [])
    }
    guard change.sequence == last + 1 else {
      throw HubError(
        .sequenceGap, "change \(change.origin)#\(change.sequence) skips sequence numbers: the hub expects \(last + 1)",
        expectedSequence: last + 1)
    }
    let conflicts = try merge(change, isResolution: mayResolve)
    try advance(change.origin, to: change.sequence)
    try database.cachedStatement("INSERT INTO changes(site, epoch, sequence, record_id, body) VALUES (?, ?, ?, ?, ?)")
      .execute([
        .text(site.rawValue), .integer(Int64(change.origin.epoch)), .integer(Int64(change.sequence)),
        .text(change.recordID.rawValue), .text(try CanonicalJSON.encode(change)),
      ])
    return (true, conflicts)
  }

  /// Merges one change into its record's history and current version.
  func merge(_ change: Change, isResolution: Bool = false) throws -> [Int64] {
    let existing = try currentRow(change.recordID)
    if let existing {
      // Ids are global, so a taken id must be refused; but the record's kind and scope are
      // told only within its scope, which a site of another may not read.
      guard existing.scope == change.scope else {
        throw HubError(
          .invalidChange,
          "change \(change.origin)#\(change.sequence) names record \(change.recordID) in scope \(change.scope), but that id belongs to a record of another scope; a new record needs a new id")
      }
      guard existing.kind == change.kind else {
        throw HubError(.invalidChange, "change \(change.origin)#\(change.sequence) names record \(change.recordID) as a \(change.kind), but it is a \(existing.kind)")
      }
    }

    // The common case: an edit of exactly the version the hub holds now.
    let resolved: ResolvedVersion
    let edit: RecordVersion
    let frontier: [VersionVector]
    let stored: Int64
    if let existing, existing.openConflict == nil, change.parentVector == existing.version.vector, change.operation != .create {
      // Only an administrator's decision may follow a tombstone: to bring the record back,
      // or to confirm the delete when the tombstone is already the provisional version.
      guard !existing.version.state.deleted || isResolution else {
        throw HubError(.invalidChange, "change \(change.origin)#\(change.sequence) edits record \(change.recordID), which is deleted")
      }
      let fields = change.operation == .resolve ? change.fields : existing.version.state.fields.merging(change.fields) { _, new in new }
      edit = RecordVersion(
        kind: change.kind, recordID: change.recordID,
        state: RecordState(fields: fields, deleted: change.operation == .delete), vector: change.vector, stamp: change.stamp)
      stored = try storeVersion(edit, after: existing.lastVersion)
      resolved = ResolvedVersion(edit)
      frontier = [edit.vector]
    } else if let existing, let compacted = existing.compactedVector, Self.buildsOnCompactedHistory(change, compacted: compacted),
      try storedVersion(of: existing, change.parentVector) == nil
    {
      // Built on history that compaction dropped: no rule can merge it, so a person decides.
      return try mergeEditOfCompactedRecord(change, existing: existing)
    } else {
      (edit, resolved, frontier, stored) = try mergeIntoHistory(change, existing: existing)
    }
    var record: Record?
    if !edit.state.deleted {
      do { record = try Record(kind: change.kind, id: change.recordID, fields: edit.state.fields) } catch {
        throw HubError(.invalidChange, "change \(change.origin)#\(change.sequence) makes record \(change.recordID) invalid: \(error.description)")
      }
      // Every site must compute the same state from the same edits, so the hub stores what
      // was sent and accepts only what is already in normal form (NFC, trimmed, sorted sets,
      // derived fiscal year) — and a create must carry the whole record.
      let normal = record?.fields ?? [:]
      let written = change.operation == .create ? Set(normal.keys).union(change.fields.keys) : Set(change.fields.keys)
      if let field = written.sorted().first(where: { (normal[$0] ?? .null) != (change.fields[$0] ?? .null) }) {
        throw HubError(
          .invalidChange,
          "change \(change.origin)#\(change.sequence) writes \(field) = \(change.fields[field] ?? .null), but its normal form is \(normal[field] ?? .null) (a create carries the whole validated record; see Protocol/SYNC.md)")
      }
    }
    try storeCurrent(
      resolved.version, scope: change.scope, createdBy: existing?.createdBy ?? change.origin.site, frontier: frontier,
      lastVersion: stored, storedFiscalYear: (existing?.version.state ?? resolved.version.state).fiscalYearColumn)
    return try keepConflictQueue(for: change, resolved: resolved, edit: edit, record: record, openConflict: existing?.openConflict)
  }

  /// Opens or updates the record's conflict when the merge left collisions, when the
  /// record was already in conflict, or when a ledger rule flags it.
  func keepConflictQueue(
    for change: Change, resolved: ResolvedVersion, edit: RecordVersion, record: Record?, openConflict: Int64?
  ) throws -> [Int64] {
    // An administrator's decision settles the record; the ledger rules already had their say.
    if change.operation == .resolve { return [] }
    var fields = resolved.conflicts
    var related: [RecordID] = []
    if change.kind == .fundEntry, !edit.state.deleted,
      let entry = try? FundEntry(id: change.recordID, fields: resolved.state.fields)
    {
      if change.operation == .create {
        let duplicates = LedgerRules.possibleDuplicates(
          of: entry, madeAt: change.origin.site, among: try fundEntries(scope: entry.scope, fiscalYear: entry.fiscalYear))
        if !duplicates.isEmpty {
          fields.append(FieldConflict(field: "amount", rule: .possibleDuplicate))
          related += duplicates
        }
      }
    }
    if let record {
      // The year's final determinations close it, as they do at the replica: a correction
      // of one is let through, a correction of any other entry goes to a person.
      let determinations = try finalDeterminations(scope: record.scope, fiscalYear: record.fiscalYear)
      if let closing = LedgerRules.closingDetermination(for: record, among: determinations) {
        fields += change.fields.keys.sorted().map { FieldConflict(field: $0, rule: .closedYear) }
        if change.operation == .create { fields.append(FieldConflict(field: "fiscal_year", rule: .closedYear)) }
        related.append(closing.id)
      }
    }
    guard !fields.isEmpty || openConflict != nil else { return [] }

    let incomingSides = resolved.sides.isEmpty ? [edit] : resolved.sides
    if let openConflict {
      let row = try database.cachedStatement("SELECT fields, sides, related FROM conflicts WHERE id = ?")
        .firstRow([.integer(openConflict)]).unwrapped()
      let oldFields = try CanonicalJSON.decode([FieldConflict].self, from: try row.string(0))
      let oldSides = try CanonicalJSON.decode([RecordVersion].self, from: try row.string(1))
      let oldRelated = try row.optionalString(2).map { try CanonicalJSON.decode([RecordID].self, from: $0) } ?? []
      // One side per writer: a writer's newer version replaces its older one. Two epochs of
      // a site are two writers (a copy restored from a backup wrote alongside the lost one),
      // so neither hides the other's edits from the administrator.
      let colliding = Set(oldFields.map(\.field))
      var byWriter: [WriterID: RecordVersion] = [:]
      for side in oldSides + incomingSides {
        let writer = side.stamp.writer
        guard let held = byWriter[writer] else {
          byWriter[writer] = side
          continue
        }
        if held.vector.dominatesOrEquals(side.vector) { continue }
        var newer = side
        // An edit written on the provisional version (it includes another writer's side)
        // carries the provisional winner's values in the colliding fields it did not write:
        // there its writer's side keeps what the writer chose, or that choice would vanish
        // from review without anyone deciding.
        if side.vector == edit.vector, !side.state.deleted,
          oldSides.contains(where: { $0.stamp.writer != writer && side.vector.dominatesOrEquals($0.vector) })
        {
          for field in colliding where change.fields[field] == nil { newer.state.fields[field] = held.state[field] }
        }
        byWriter[writer] = newer
      }
      try database.cachedStatement("UPDATE conflicts SET fields = ?, sides = ?, related = ?, revision = revision + 1 WHERE id = ?")
        .execute([
          .text(try CanonicalJSON.encode(Set(oldFields + fields).sorted())),
          .text(try CanonicalJSON.encode(Merge.canonicalOrder(Array(byWriter.values)))),
          .text(try CanonicalJSON.encode(Set(oldRelated + related).sorted())), .integer(openConflict),
        ])
      return [openConflict]
    }
    let sides = Merge.canonicalOrder(incomingSides)
    let id = try database.cachedStatement(
      """
      INSERT INTO conflicts(record_id, kind, scope, status, fields, base, sides, related, opened_at)
      VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?) RETURNING id
      """
    ).firstRow([
      .text(change.recordID.rawValue), .text(change.kind.rawValue), .text(change.scope.rawValue),
      .text(try CanonicalJSON.encode(Set(fields).sorted())),
      try resolved.base.map { .text(try CanonicalJSON.encode($0)) } ?? .null, .text(try CanonicalJSON.encode(sides)),
      related.isEmpty ? .null : .text(try CanonicalJSON.encode(related.sorted())),
      .text(timestamp()),
    ]).unwrapped().int64(0)
    try database.cachedStatement("UPDATE records SET conflict_id = ? WHERE id = ?").execute([.integer(id), .text(change.recordID.rawValue)])
    return [id]
  }

  /// Adds a concurrent or out-of-date change to its record's history. Loads only the
  /// frontier and the versions the change names, in one walk back through the history;
  /// when those do not suffice (a parent that is an older merge), loads the whole history.
  /// Returns the new version's number with the merge.
  private func mergeIntoHistory(
    _ change: Change, existing: CurrentRow?
  ) throws -> (RecordVersion, ResolvedVersion, [VersionVector], Int64) {
    // A record the hub does not hold has no versions to load: a new record's create looks
    // nothing up.
    guard let existing else {
      return try add(change, to: VersionHistory(kind: change.kind, recordID: change.recordID, versions: [], frontier: []), after: nil)
    }
    let frontierVectors = try CanonicalJSON.decode([VersionVector].self, from: existing.frontier)
    // The merge's base is the meet of the new frontier. When it is a stored version (the
    // usual case: two sites editing on from the same pulled version), loading it alone
    // spares reading the whole history for every concurrent edit.
    let sides = frontierVectors.filter { !change.vector.dominatesOrEquals($0) } + [change.vector]
    let meet = sides.dropFirst().reduce(sides[0]) { $0.meet($1) }
    // Every stored version lies under a frontier version, so only a vector some frontier
    // vector dominates or equals is looked up: any other would walk the whole chain for
    // nothing, as each edit of a record in conflict would (its parent is the merge of the
    // frontier, its meet is itself).
    let named = [change.parentVector, meet].filter { vector in frontierVectors.contains { $0.dominatesOrEquals(vector) } }
    let found = try storedVersions(of: existing, Set(frontierVectors + named))
    let frontier = try frontierVectors.map { try found[$0].unwrapped("frontier version") }
    let known = frontier + [change.parentVector, meet].compactMap { found[$0] }
    do {
      return try add(
        change, to: VersionHistory(kind: change.kind, recordID: change.recordID, versions: known, frontier: frontier),
        after: existing.lastVersion)
    } catch let error as HubError where error.code == .unknownParent {
      let all = try storedHistory(of: existing)
      return try add(
        change, to: VersionHistory(kind: change.kind, recordID: change.recordID, versions: all, frontier: frontier),
        after: existing.lastVersion)
    }
  }

  private func add(
    _ change: Change, to start: VersionHistory, after previous: Int64?
  ) throws -> (RecordVersion, ResolvedVersion, [VersionVector], Int64) {
    var history = start
    do {
      guard let edit = try history.add(change) else {
        throw HubError(.invalidChange, "change \(change.origin)#\(change.sequence) repeats version \(change.vector) of \(change.recordID)")
      }
      guard let resolved = try history.current() else { throw VersionHistoryError.unknownVersion(change.recordID, change.vector) }
      let stored = try storeVersion(edit, after: previous)
      return (edit, resolved, history.frontier.map(\.vector), stored)
    } catch let error as VersionHistoryError {
      throw HubError(.unknownParent, "change \(change.origin)#\(change.sequence): \(error.description)")
    }
  }

  // MARK: Pull

  /// The current versions of records `scope` may read, after feed position `after`.
  public func pull(for scope: Scope, after: UInt64, limit: Int) throws -> PullPage {
    let (rows, hasMore) = try feedRows(for: scope, after: after, limit: limit)
    return PullPage(entries: try rows.map { try $0.entry() }, cursor: rows.last.map { UInt64($0.position) } ?? after, hasMore: hasMore)
  }

  /// The same page as ``pull(for:after:limit:)``, as the JSON `PullPage` encodes to,
  /// written from the stored fragments without decoding them.
  public func pullJSON(for scope: Scope, after: UInt64, limit: Int) throws -> [UInt8] {
    try pullAnswer(for: scope, after: after, limit: limit).json
  }

  /// The page ``pullJSON(for:after:limit:)`` writes, with where it ends and whether more
  /// follow.
  func pullAnswer(for scope: Scope, after: UInt64, limit: Int) throws -> (json: [UInt8], cursor: UInt64, hasMore: Bool) {
    let (rows, hasMore) = try feedRows(for: scope, after: after, limit: limit)
    let cursor = rows.last.map { UInt64($0.position) } ?? after
    var json = CanonicalJSONWriter()
    json.beginObject()
    json.key("cursor")
    json.integer(cursor)
    json.key("entries")
    json.beginArray()
    for row in rows { try row.writeJSON(to: &json) }
    json.endArray()
    json.key("has_more")
    json.bool(hasMore)
    json.endObject()
    return (json.bytes, cursor, hasMore)
  }

  private func feedRows(for scope: Scope, after: UInt64, limit: Int) throws -> (rows: [FeedRow], hasMore: Bool) {
    let readable = scope.readableScopes.map(\.rawValue)
    let placeholders = Array(repeating: "?", count: readable.count).joined(separator: ", ")
    let page: String
    let arguments: [DatabaseValue]
    switch scope {
    case .bureau:
      // A bureau reads its own scope and all its prefectures', which is all a bureau's hub
      // normally holds, so it walks the feed in position order (schema step 010) and takes
      // the first page of entries it may read (another bureau's, if any, are stepped over).
      // Cut into one range per scope, as below, each of a bureau's eleven ranges read a page
      // of entries and their records, and ten pages of them were thrown away after sorting.
      page = """
        SELECT f.record AS number FROM feed f INDEXED BY feed_order
          JOIN records s ON s.number = f.record AND s.feed_position = f.position
        WHERE f.position > ? AND f.scope IN (\(placeholders)) ORDER BY f.position LIMIT ?
        """
      arguments = [.integer(Int64(after))] + readable.map { .text($0) } + [.integer(Int64(limit + 1))]
    case .prefecture:
      // A prefecture reads its own scope and its bureau's: one range of the feed per scope,
      // each cut at the page size, merged by position. Walking the feed in position order
      // instead would step over the other prefectures' entries one by one; asked as
      // `scope IN (…) ORDER BY position` of the (scope, position) key, SQLite sorted every
      // readable entry after the cursor for each page, which made pulling a large hub
      // quadratic.
      page = Array(
        repeating: """
          SELECT * FROM (SELECT f.record AS number FROM feed f JOIN records s ON s.number = f.record AND s.feed_position = f.position
            WHERE f.scope = ? AND f.position > ? ORDER BY f.position LIMIT ?)
          """,
        count: readable.count
      ).joined(separator: " UNION ALL ")
      arguments = readable.flatMap { [.text($0), .integer(Int64(after)), .integer(Int64(limit + 1))] }
    }
    // An entry whose record has since moved to a later position is skipped where the page
    // is cut (its position is no longer the record's), so each page still holds up to
    // `limit` records.
    let rows = try database.cachedStatement(
      """
      SELECT r.kind, r.id, r.scope, r.state, r.deleted, r.vector, r.stamp, r.feed_position, c.id, c.fields, c.sides, r.resolution
      FROM (\(page)) page JOIN records r ON r.number = page.number
      LEFT JOIN conflicts c ON c.id = r.conflict_id AND c.status = 'open'
      ORDER BY r.feed_position LIMIT ?
      """
    ).rows(arguments + [.integer(Int64(limit + 1))])
    return (try rows.prefix(limit).map(FeedRow.init), rows.count > limit)
  }

  // MARK: Reading

  /// A record's current version at the hub.
  public func record(_ id: RecordID) throws -> RecordVersion? {
    try currentRow(id)?.version
  }

  /// The versions edits wrote for a record, from which every state of it derives.
  public func history(of id: RecordID) throws -> VersionHistory? {
    guard let row = try currentRow(id) else { return nil }
    return VersionHistory(kind: row.kind, recordID: id, versions: try storedHistory(of: row))
  }

  /// Every record's current version, ordered by id.
  public func allRecords() throws -> [RecordVersion] {
    try database.cachedStatement("SELECT kind, id, state, deleted, vector, stamp FROM records ORDER BY id").rows().map {
      try Self.version(kind: $0.string(0), id: $0.string(1), state: $0.string(2), deleted: $0.int64(3), vector: $0.string(4), stamp: $0.string(5))
    }
  }

  /// The live records `scope` may read, validated (records that no longer validate are left out).
  public func currentRecords(readableBy scope: Scope) throws -> [Record] {
    let readable = scope.readableScopes.map(\.rawValue)
    let placeholders = Array(repeating: "?", count: readable.count).joined(separator: ", ")
    return try database.prepare("SELECT kind, id, state FROM records WHERE deleted = 0 AND scope IN (\(placeholders)) ORDER BY id")
      .rows(readable.map { .text($0) }).compactMap { row in
        guard let kind = RecordKind(rawValue: try row.string(0)) else { return nil }
        return try? Record(kind: kind, id: try RecordID(try row.string(1)), fields: try CanonicalJSON.decode(RecordFields.self, from: try row.string(2)))
      }
  }

  /// The open conflicts, oldest first.
  public func openConflicts() throws -> [HubConflict] {
    try database.cachedStatement(
      "SELECT id, record_id, kind, scope, fields, base, sides, related, revision, opened_at, status, resolution FROM conflicts WHERE status = 'open' ORDER BY id"
    ).rows().map(HubConflict.init(row:))
  }

  // MARK: Storage

  struct CurrentRow {
    var version: RecordVersion
    var scope: Scope
    var kind: RecordKind { version.kind }
    var openConflict: Int64?
    var createdBy: SiteID
    /// Set once the record's tombstone was compacted: its history up to this vector is gone.
    var compactedVector: VersionVector?
    /// The vectors of the versions no other version of the record descends from, as stored.
    var frontier: String
    /// The number of the version its history stored last (see Hub+History); nil for none.
    var lastVersion: Int64?
  }

  func currentRow(_ id: RecordID) throws -> CurrentRow? {
    guard
      let row = try database.cachedStatement(
        """
        SELECT r.kind, r.id, r.state, r.deleted, r.vector, r.stamp, r.scope, c.id, r.created_by, r.compacted_vector, r.frontier,
          r.last_version
        FROM records r LEFT JOIN conflicts c ON c.id = r.conflict_id AND c.status = 'open' WHERE r.id = ?
        """
      ).firstRow([.text(id.rawValue)])
    else { return nil }
    return CurrentRow(
      version: try Self.version(kind: row.string(0), id: row.string(1), state: row.string(2), deleted: row.int64(3), vector: row.string(4), stamp: row.string(5)),
      scope: try Scope(try row.string(6)), openConflict: try row.optionalInt64(7),
      createdBy: try SiteID(rawValue: try row.string(8)).unwrapped(),
      compactedVector: try row.optionalString(9).map { try CanonicalJSON.decode(VersionVector.self, from: $0) },
      frontier: try row.string(10), lastVersion: try row.optionalInt64(11))
  }

  /// Stores the record's current version, its place at the end of the feed (the schema's
  /// triggers add its feed entry; its entry at the old position stays, skipped by pulls), its
  /// `frontier` (the vectors of the versions no other version of it descends from), and the
  /// number of the version its history stored last.
  ///
  /// `storedFiscalYear` is the year the record's row holds (for a new record, the year it
  /// is about to hold), when the caller knows it; nil when it does not.
  func storeCurrent(
    _ version: RecordVersion, scope: Scope, createdBy: SiteID, frontier: [VersionVector], lastVersion: Int64,
    storedFiscalYear: DatabaseValue? = nil
  ) throws {
    let text = try storedText(of: version)
    let position = try nextFeedPosition()
    let fiscalYear = version.state.fiscalYearColumn
    try database.cachedStatement(
      """
      INSERT INTO records(
        id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, created_by, stored_at, frontier, last_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, deleted = excluded.deleted, vector = excluded.vector,
        stamp = excluded.stamp, feed_position = excluded.feed_position, resolution = NULL, stored_at = excluded.stored_at,
        frontier = excluded.frontier, last_version = excluded.last_version
      """
    ).execute([
      .text(version.recordID.rawValue), .text(version.kind.rawValue), .text(scope.rawValue), fiscalYear,
      .text(text.fields), .integer(version.state.deleted ? 1 : 0), .text(text.vector), .text(text.stamp), .integer(Int64(position)),
      .text(createdBy.rawValue), .integer(Int64(now().timeIntervalSince1970)),
      .text(frontier == [version.vector] ? "[\(text.vector)]" : try Self.frontierText(frontier)), .integer(lastVersion),
    ])
    // Apart, and only when it changes: a statement that sets the fiscal year rewrites the
    // record's entry in the ledger index even when the year stays, one more page of a large
    // file written for almost every edit. When the caller knows the stored year, an edit
    // that keeps it runs no statement for it at all.
    guard storedFiscalYear != fiscalYear else { return }
    try database.cachedStatement("UPDATE records SET fiscal_year = ?1 WHERE id = ?2 AND fiscal_year IS NOT ?1")
      .execute([fiscalYear, .text(version.recordID.rawValue)])
  }

  /// The canonical JSON a version is stored as. An edit is usually stored twice, in its
  /// history and as the current version, and encoding was the larger part of a merge's
  /// cost: the last version encoded is kept and reused when it comes again.
  func storedText(of version: RecordVersion) throws -> StoredVersionText {
    if let lastStoredText, lastStoredText.version == version { return lastStoredText.text }
    let text = StoredVersionText(
      fields: try CanonicalJSON.encode(version.state.fields), vector: try CanonicalJSON.encode(version.vector),
      stamp: try CanonicalJSON.encode(version.stamp))
    lastStoredText = (version, text)
    return text
  }

  /// A frontier as stored: the vectors' canonical JSON in byte order, as a JSON array.
  static func frontierText(_ frontier: [VersionVector]) throws -> String {
    let vectors = try frontier.map { try CanonicalJSON.encode($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    return "[" + vectors.joined(separator: ",") + "]"
  }

  func nextFeedPosition() throws -> UInt64 {
    if bookkeeping != nil {
      let last = try bookkeeping?.feedPosition ?? feedCounter()
      bookkeeping?.feedPosition = last + 1
      bookkeeping?.feedAdvanced = true
      return last + 1
    }
    let row = try database.cachedStatement(
      "INSERT INTO hub_meta(key, value) VALUES ('feed_position', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value"
    ).firstRow().unwrapped()
    return UInt64(try row.string(0)).unwrappedOrZero
  }

  /// The last feed position given, zero before the first.
  private func feedCounter() throws -> UInt64 {
    let row = try database.cachedStatement("SELECT value FROM hub_meta WHERE key = 'feed_position'").firstRow()
    return try row.map { try UInt64(try $0.string(0)).unwrapped("feed position") } ?? 0
  }

  /// The live fund entries of `scope`'s `fiscalYear`, with the site that made each.
  func fundEntries(scope: Scope, fiscalYear: FiscalYear) throws -> [(entry: FundEntry, site: SiteID)] {
    try ledgerRows(
      "SELECT id, state, created_by FROM records WHERE kind = 'fund-entry' AND deleted = 0 AND scope = ? AND fiscal_year = ?", scope,
      fiscalYear)
  }

  /// The live final determinations of `scope`'s `fiscalYear`, which every edit of a record
  /// asks for. The partial index of schema step 012 holds exactly these; it is named because
  /// SQLite's planner, without statistics, takes the ledger index, which holds every entry
  /// of the year.
  func finalDeterminations(scope: Scope, fiscalYear: FiscalYear) throws -> [FundEntry] {
    try ledgerRows(
      """
      SELECT id, state, created_by FROM records INDEXED BY records_final_determinations
      WHERE kind = 'fund-entry' AND deleted = 0 AND scope = ? AND fiscal_year = ? AND json_extract(state, '$.kind') = 'final-determination'
      """, scope, fiscalYear
    ).map(\.entry)
  }

  /// The entries `sql` selects (id, state, creating site) for a scope and fiscal year; an
  /// entry that no longer validates is left out.
  private func ledgerRows(_ sql: String, _ scope: Scope, _ fiscalYear: FiscalYear) throws -> [(entry: FundEntry, site: SiteID)] {
    try database.cachedStatement(sql).rows([.text(scope.rawValue), .integer(Int64(fiscalYear.startYear))]).compactMap { row in
      let fields = try CanonicalJSON.decode(RecordFields.self, from: try row.string(1))
      guard let entry = try? FundEntry(id: try RecordID(try row.string(0)), fields: fields),
        let site = SiteID(rawValue: try row.string(2))
      else { return nil }
      return (entry, site)
    }
  }

  static func version(kind: String, id: String, state: String, deleted: Int64, vector: String, stamp: String) throws -> RecordVersion {
    RecordVersion(
      kind: try RecordKind(rawValue: kind).unwrapped(), recordID: try RecordID(id),
      state: RecordState(fields: try CanonicalJSON.decode(RecordFields.self, from: state), deleted: deleted != 0),
      vector: try CanonicalJSON.decode(VersionVector.self, from: vector), stamp: try CanonicalJSON.decode(VersionStamp.self, from: stamp))
  }
}

extension Optional {
  func unwrapped(_ what: StaticString = "value") throws -> Wrapped {
    guard let self else { throw HubError(.invalidChange, "the hub database lacks an expected \(what)") }
    return self
  }
}

extension Optional where Wrapped == UInt64 {
  var unwrappedOrZero: UInt64 { self ?? 0 }
}
