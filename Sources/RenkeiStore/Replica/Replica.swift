import Foundation
import RenkeiCore

/// A site's local replica: the records it can see, and the log of every edit made here.
///
/// Every write and its change are committed in one transaction, so the log never misses
/// an edit and never holds one that did not happen. Not Sendable: a replica wraps one
/// SQLite connection, and its owner serialises access to it.
public final class Replica {
  public let database: Database
  public let site: SiteID
  public let scope: Scope
  public private(set) var epoch: UInt32
  /// Who is recorded as the author of edits made through this replica.
  public var author: String
  /// The wall clock, in milliseconds since 1970; replaceable so tests can skew it.
  public var wallClock: @Sendable () -> Int64
  private var clock: HybridClock

  public var writer: WriterID { WriterID(site: site, epoch: epoch) }

  /// Creates a new replica database at `path`.
  public static func create(
    at path: String, site: SiteID, scope: Scope, author: String,
    wallClock: @escaping @Sendable () -> Int64 = Replica.systemMilliseconds
  ) throws -> Replica {
    let database = try Database(path: path)
    try ReplicaSchema.defineFunctions(database)
    try ReplicaSchema.migrator.migrate(database)
    try database.inTransaction {
      if try database.cachedStatement("SELECT 1 FROM replica_meta WHERE key = 'site'").firstRow() != nil {
        throw ReplicaError(.alreadyExists, "\(path) already holds a replica")
      }
      let insert = try database.cachedStatement("INSERT INTO replica_meta(key, value) VALUES (?, ?)")
      for (key, value) in [
        ("site", site.rawValue), ("scope", scope.rawValue), ("epoch", "1"), ("author", author),
        ("next_sequence", "1"), ("acknowledged_sequence", "0"), ("pull_cursor", "0"), ("hlc", HybridTimestamp.zero.rawValue),
      ] {
        try insert.execute([.text(key), .text(value)])
      }
    }
    return try Replica(database: database, wallClock: wallClock)
  }

  /// Opens an existing replica database.
  public convenience init(
    path: String, wallClock: @escaping @Sendable () -> Int64 = Replica.systemMilliseconds
  ) throws {
    let database = try Database(path: path)
    try ReplicaSchema.defineFunctions(database)
    try ReplicaSchema.migrator.migrate(database)
    try self.init(database: database, wallClock: wallClock)
  }

  private init(database: Database, wallClock: @escaping @Sendable () -> Int64) throws {
    self.database = database
    self.wallClock = wallClock
    let meta = try Self.readMeta(database)
    guard let rawSite = meta["site"], let site = SiteID(rawValue: rawSite), let rawScope = meta["scope"],
      let epoch = meta["epoch"].flatMap(UInt32.init), let stamp = meta["hlc"].flatMap(HybridTimestamp.init(rawValue:))
    else {
      throw ReplicaError(.notAReplica, "the database holds no replica identity (site, scope, epoch)")
    }
    self.site = site
    self.scope = try Scope(rawScope)
    self.epoch = epoch
    self.author = meta["author"] ?? site.rawValue
    self.clock = HybridClock(last: stamp)
  }

  /// The system clock in milliseconds since 1970, moved by `RENKEI_CLOCK_OFFSET_MS` (a
  /// signed whole number, read once per process) when it is set. The variable exists for
  /// testing skewed clocks: a laptop a day ahead, an hour behind, or set back.
  public static let systemMilliseconds: @Sendable () -> Int64 = {
    Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) + clockOffset
  }

  private static let clockOffset = ProcessInfo.processInfo.environment["RENKEI_CLOCK_OFFSET_MS"].flatMap(Int64.init) ?? 0

  // MARK: Reading

  /// The record with `id`, tombstones included.
  public func record(_ id: RecordID) throws -> StoredRecord? {
    try database.cachedStatement(
      "SELECT kind, id, scope, state, deleted, vector, stamp, conflict, local_edits, resolution FROM records WHERE id = ?"
    ).withFirstRow([.text(id.rawValue)]) { try $0.map(Self.storedRecord) }
  }

  /// Every live record of `kind` (all kinds when nil), ordered by id.
  public func records(kind: RecordKind? = nil, includeDeleted: Bool = false) throws -> [StoredRecord] {
    var sql = "SELECT kind, id, scope, state, deleted, vector, stamp, conflict, local_edits, resolution FROM records WHERE 1 = 1"
    var values: [DatabaseValue] = []
    if let kind {
      sql += " AND kind = ?"
      values.append(.text(kind.rawValue))
    }
    if !includeDeleted { sql += " AND deleted = 0" }
    sql += " ORDER BY id"
    return try database.cachedStatement(sql).rows(values).map(Self.storedRecord)
  }

  /// The changes written here that the hub has not acknowledged, oldest first.
  public func pendingChanges(limit: Int = 1000) throws -> [Change] {
    let acknowledged = try meta("acknowledged_sequence").flatMap(UInt64.init) ?? 0
    return try database.cachedStatement(
      "SELECT body FROM changes WHERE epoch = ? AND sequence > ? ORDER BY sequence LIMIT ?"
    ).rows([.integer(Int64(epoch)), .integer(Int64(acknowledged)), .integer(Int64(limit))]).map {
      try CanonicalJSON.decode(Change.self, from: try $0.string(0))
    }
  }

  /// How many changes wait to be pushed, counted in SQL: a replica with a long backlog is
  /// not decoded whole just to say how long it is.
  public func pendingChangeCount() throws -> Int {
    let acknowledged = try meta("acknowledged_sequence").flatMap(UInt64.init) ?? 0
    let row = try database.cachedStatement("SELECT count(*) FROM changes WHERE epoch = ? AND sequence > ?")
      .firstRow([.integer(Int64(epoch)), .integer(Int64(acknowledged))])
    return Int(try row?.int64(0) ?? 0)
  }

  /// How many records, tombstones included, hold an open conflict.
  public func openConflictCount() throws -> Int {
    Int(try database.cachedStatement("SELECT count(*) FROM records WHERE conflict IS NOT NULL").firstRow()?.int64(0) ?? 0)
  }

  /// Every change this replica wrote for `id`, or for all records when nil, oldest first.
  public func localChanges(for id: RecordID? = nil) throws -> [Change] {
    let rows: [Row]
    if let id {
      rows = try database.cachedStatement("SELECT body FROM changes WHERE record_id = ? ORDER BY epoch, sequence")
        .rows([.text(id.rawValue)])
    } else {
      rows = try database.cachedStatement("SELECT body FROM changes ORDER BY epoch, sequence").rows()
    }
    return try rows.map { try CanonicalJSON.decode(Change.self, from: try $0.string(0)) }
  }

  /// The last sequence number the hub acknowledged for the current epoch.
  public var acknowledgedSequence: UInt64 {
    get throws { try meta("acknowledged_sequence").flatMap(UInt64.init) ?? 0 }
  }

  /// The hub feed position this replica has applied through.
  public var pullCursor: UInt64 {
    get throws { try meta("pull_cursor").flatMap(UInt64.init) ?? 0 }
  }

  // MARK: Writing

  /// Creates a record and logs its change. Returns the change.
  @discardableResult
  public func create(_ kind: RecordKind, id: RecordID = .random(), fields: RecordFields) throws -> Change {
    try database.inTransaction {
      if try record(id) != nil { throw ReplicaError(.alreadyExists, "a record with id \(id) already exists") }
      let validated = try validate(kind: kind, id: id, fields: fields)
      if case .fundEntry(let entry) = validated {
        do throws(RecordValidationError) { try entry.checkMovesMoney() } catch { throw ReplicaError(.invalidRecord, error.description) }
      }
      try checkWritable(validated)
      return try write(
        kind: kind, id: id, scope: validated.scope, operation: .create, written: validated.fields,
        state: RecordState(fields: validated.fields), previous: nil)
    }
  }

  /// Writes `fields` of an existing record and logs the fields that actually changed.
  /// Throws `nothingChanged` when every value is already as given.
  @discardableResult
  public func update(_ id: RecordID, fields: RecordFields) throws -> Change {
    try database.inTransaction {
      let (existing, nextSequence) = try liveRecordAndNextSequence(id)
      if fields["scope"] != nil, fields["scope"] != existing.state["scope"] {
        throw ReplicaError(.invalidRecord, "scope: a record's scope cannot change; create a new record in the other scope")
      }
      let merged = existing.state.fields.merging(fields) { _, new in new }
      let validated = try validate(kind: existing.kind, id: id, fields: merged)
      // A typed record builds its fields afresh each time they are asked for.
      let validatedFields = validated.fields
      if existing.kind == .fundEntry {
        let money = ["amount", "programme", "kind", "fiscal_year"].filter { validatedFields[$0] != existing.state[$0] }
        if !money.isEmpty {
          throw ReplicaError(
            .ledgerIsAppendOnly,
            "\(money.joined(separator: ", ")) of fund entry \(id) cannot be edited: the ledger is append-only, add a correction entry instead")
        }
      }
      try checkWritable(validated)
      let written = validatedFields.filter { existing.state[$0.key] != $0.value }
      guard !written.isEmpty else { throw ReplicaError(.nothingChanged, "record \(id) already holds these values") }
      return try write(
        kind: existing.kind, id: id, scope: existing.scope, operation: .update, written: written,
        state: RecordState(fields: validatedFields), previous: existing, sequence: nextSequence)
    }
  }

  /// Deletes a record, leaving a tombstone, and logs the change.
  @discardableResult
  public func delete(_ id: RecordID) throws -> Change {
    try database.inTransaction {
      let existing = try liveRecord(id)
      if existing.kind == .fundEntry {
        throw ReplicaError(
          .ledgerIsAppendOnly, "fund entry \(id) cannot be deleted: the ledger is append-only, add a correction entry instead")
      }
      if let record = existing.record { try checkWritable(record) }
      return try write(
        kind: existing.kind, id: id, scope: existing.scope, operation: .delete, written: [:],
        state: RecordState(fields: existing.state.fields, deleted: true), previous: existing)
    }
  }

  // MARK: Sync

  /// Records that the hub has durably stored every change up to `sequence` of the current
  /// epoch. Refuses a sequence beyond what this replica wrote: that would skip edits.
  public func acknowledge(through sequence: UInt64) throws {
    try database.inTransaction {
      let next = try meta("next_sequence").flatMap(UInt64.init) ?? 1
      let current = try acknowledgedSequence
      guard sequence < next else {
        throw ReplicaError(.badAcknowledgement, "the hub acknowledged sequence \(sequence), but this replica wrote only \(next - 1)")
      }
      guard sequence > current else { return }
      try setMeta("acknowledged_sequence", String(sequence))
      // Records whose every local edit is now acknowledged wait only for the hub's merge.
    }
  }

  /// Applies versions pulled from the hub, and moves the pull cursor past them, in one
  /// transaction: the cursor never gets ahead of what was stored.
  ///
  /// A pulled version that includes the local one replaces it. One that the local version
  /// includes, or that is concurrent with local edits not yet merged, is skipped: those
  /// edits go to the hub on the next push, and the merge that comes back includes both.
  public func apply(_ entries: [FeedEntry], cursor: UInt64) throws {
    try database.inTransaction {
      for entry in entries {
        try applyOne(entry)
      }
      if cursor > (try pullCursor) { try setMeta("pull_cursor", String(cursor)) }
      try setMeta("hlc", clock.last.rawValue)
    }
  }

  /// Moves this replica to a new epoch: after a restore from backup, so nothing written
  /// from now on can reuse a sequence number or vector entry the lost copy already sent.
  /// Edits not yet acknowledged are written again under the new epoch.
  public func beginNewEpoch(after hubEpoch: UInt32? = nil) throws {
    try database.inTransaction {
      let pending = try pendingChanges(limit: Int.max)
      epoch = max(epoch, hubEpoch ?? 0) + 1
      try setMeta("epoch", String(epoch))
      try setMeta("next_sequence", "1")
      try setMeta("acknowledged_sequence", "0")
      // Each record's unacknowledged edits counted themselves in the old writer's vector
      // entry, and those counts name versions the hub never received (or, when the lost
      // copy went on writing, other versions it did). So a record's rewritten edits build
      // on the version the hub knows, the parent of its first unacknowledged edit, and
      // count under the new writer instead.
      var rebased: [RecordID: VersionVector] = [:]
      for change in pending {
        try reissue(change, rebasing: &rebased)
      }
    }
  }

  // MARK: Internals

  private func applyOne(_ entry: FeedEntry) throws {
    let version = entry.version
    clock.observe(version.stamp.timestamp, wallMilliseconds: wallClock())
    guard scope.canRead(entry.scope) else { return }
    if let local = try record(version.recordID) {
      switch version.vector.compare(local.version.vector) {
      case .after, .equal: break
      case .before, .concurrent: return
      }
    }
    try database.cachedStatement(
      """
      INSERT INTO records(id, kind, scope, fiscal_year, state, deleted, vector, stamp, conflict, local_edits, resolution)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
      ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, scope = excluded.scope, fiscal_year = excluded.fiscal_year,
        state = excluded.state, deleted = excluded.deleted, vector = excluded.vector, stamp = excluded.stamp,
        conflict = excluded.conflict, local_edits = 0, resolution = coalesce(excluded.resolution, records.resolution)
      """
    ).execute([
      .text(version.recordID.rawValue), .text(version.kind.rawValue), .text(entry.scope.rawValue),
      version.state.fiscalYearColumn, .text(try CanonicalJSON.encode(version.state.fields)),
      .integer(version.state.deleted ? 1 : 0), .text(try CanonicalJSON.encode(version.vector)),
      .text(try CanonicalJSON.encode(version.stamp)), try entry.conflict.map { .text(try CanonicalJSON.encode($0)) } ?? .null,
      // The last resolution stays with the record, so its log keeps saying who decided and why.
      try entry.resolution.map { .text(try CanonicalJSON.encode($0)) } ?? .null,
    ])
  }

  private func write(
    kind: RecordKind, id: RecordID, scope recordScope: Scope, operation: ChangeOperation, written: RecordFields,
    state: RecordState, previous: StoredRecord?, parentVector: VersionVector? = nil, sequence nextSequence: UInt64? = nil
  ) throws -> Change {
    // Given when the caller read it with the record, in this same transaction.
    let sequence = try nextSequence ?? meta("next_sequence").flatMap(UInt64.init) ?? 1
    let vector = (parentVector ?? previous?.version.vector ?? VersionVector()).incremented(for: writer)
    let timestamp = clock.tick(wallMilliseconds: wallClock())
    let change = Change(
      origin: writer, sequence: sequence, kind: kind, recordID: id, scope: recordScope, operation: operation,
      fields: written, vector: vector, author: author, timestamp: timestamp)
    // The JSON columns are bound as the bytes the writer made (what CanonicalJSON.encode
    // would return as a string): a string of each would be one more validation and copy.
    let changeInsert = try database.cachedStatement("INSERT INTO changes(epoch, sequence, record_id, body) VALUES (?, ?, ?, ?)")
    try changeInsert.bind(.integer(Int64(epoch)), at: 1)
    try changeInsert.bind(.integer(Int64(sequence)), at: 2)
    try changeInsert.bind(.text(id.rawValue), at: 3)
    try changeInsert.bind(utf8Text: CanonicalJSON.encodedUTF8(change), at: 4)
    try changeInsert.run()
    let stateJSON = CanonicalJSON.encodedUTF8(state.fields)
    let vectorJSON = CanonicalJSON.encodedUTF8(vector)
    let stampJSON = CanonicalJSON.encodedUTF8(change.stamp)
    // A record read in this transaction is still there: a plain UPDATE of the columns the
    // upsert's DO UPDATE sets leaves the same row, without an INSERT attempted first.
    // Should it find no row after all, the upsert below writes it as before.
    // The fiscal year is set only when it changes: a statement that sets an indexed column
    // rewrites the row's entry in that index (records_by_kind) even when the value stays,
    // one more page read and written for nearly every edit.
    if let previous {
      let fiscalYear = state.fiscalYearColumn
      let yearChanges = fiscalYear != previous.version.state.fiscalYearColumn
      let recordUpdate = try database.cachedStatement(
        yearChanges
          ? "UPDATE records SET state = ?, deleted = ?, vector = ?, stamp = ?, local_edits = 1, fiscal_year = ? WHERE id = ?"
          : "UPDATE records SET state = ?, deleted = ?, vector = ?, stamp = ?, local_edits = 1 WHERE id = ?")
      try recordUpdate.bind(utf8Text: stateJSON, at: 1)
      try recordUpdate.bind(.integer(state.deleted ? 1 : 0), at: 2)
      try recordUpdate.bind(utf8Text: vectorJSON, at: 3)
      try recordUpdate.bind(utf8Text: stampJSON, at: 4)
      if yearChanges { try recordUpdate.bind(fiscalYear, at: 5) }
      try recordUpdate.bind(.text(id.rawValue), at: yearChanges ? 6 : 5)
      try recordUpdate.run()
    }
    if previous == nil || database.changes == 0 {
      let recordUpsert = try database.cachedStatement(
        """
        INSERT INTO records(id, kind, scope, fiscal_year, state, deleted, vector, stamp, conflict, local_edits)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT(id) DO UPDATE SET state = excluded.state, deleted = excluded.deleted, vector = excluded.vector,
          stamp = excluded.stamp, fiscal_year = excluded.fiscal_year, local_edits = 1
        """
      )
      try recordUpsert.bind(.text(id.rawValue), at: 1)
      try recordUpsert.bind(.text(kind.rawValue), at: 2)
      try recordUpsert.bind(.text(recordScope.rawValue), at: 3)
      try recordUpsert.bind(state.fiscalYearColumn, at: 4)
      try recordUpsert.bind(utf8Text: stateJSON, at: 5)
      try recordUpsert.bind(.integer(state.deleted ? 1 : 0), at: 6)
      try recordUpsert.bind(utf8Text: vectorJSON, at: 7)
      try recordUpsert.bind(utf8Text: stampJSON, at: 8)
      // Unbound, the conflict stays NULL: cachedStatement cleared the bindings.
      if let conflict = previous?.conflict { try recordUpsert.bind(.text(try CanonicalJSON.encode(conflict)), at: 9) }
      try recordUpsert.run()
    }
    // One statement for both: a local edit's cost is mostly statements.
    try database.cachedStatement(
      "INSERT INTO replica_meta(key, value) VALUES ('next_sequence', ?), ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    ).execute([.text(String(sequence + 1)), .text(timestamp.rawValue)])
    return change
  }

  /// Writes an unacknowledged change of a lost epoch again as a new local edit of the
  /// current writer, on the version `rebased` names for its record (the change's own
  /// parent for the record's first one). The record keeps what it holds now, which
  /// already includes this edit and any later one.
  private func reissue(_ change: Change, rebasing rebased: inout [RecordID: VersionVector]) throws {
    // Only the hub writes resolutions; a replica never has one pending.
    guard change.operation != .resolve else { return }
    let existing = try record(change.recordID)
    guard existing != nil || change.operation == .create else { return }
    let written = try write(
      kind: change.kind, id: change.recordID, scope: change.scope, operation: change.operation, written: change.fields,
      state: existing?.version.state ?? RecordState(fields: change.fields), previous: existing,
      parentVector: rebased[change.recordID] ?? change.parentVector)
    rebased[change.recordID] = written.vector
  }

  /// ``liveRecord(_:)`` and the sequence number the next change takes, as
  /// `meta("next_sequence")` reads it, in one statement: an edit needs both, and a statement
  /// of its own for the number was a share of every edit.
  private func liveRecordAndNextSequence(_ id: RecordID) throws -> (record: StoredRecord, nextSequence: UInt64) {
    let found = try database.cachedStatement(
      """
      SELECT kind, id, scope, state, deleted, vector, stamp, conflict, local_edits, resolution,
        (SELECT value FROM replica_meta WHERE key = 'next_sequence')
      FROM records WHERE id = ?
      """
    ).withFirstRow([.text(id.rawValue)]) { row in
      try row.map { (try Self.storedRecord($0), try $0.optionalString(10).flatMap(UInt64.init) ?? 1) }
    }
    guard let (existing, nextSequence) = found else { throw ReplicaError(.unknownRecord, "no record with id \(id)") }
    guard !existing.state.deleted else { throw ReplicaError(.deleted, "record \(id) was deleted") }
    return (existing, nextSequence)
  }

  private func liveRecord(_ id: RecordID) throws -> StoredRecord {
    guard let existing = try record(id) else { throw ReplicaError(.unknownRecord, "no record with id \(id)") }
    guard !existing.state.deleted else { throw ReplicaError(.deleted, "record \(id) was deleted") }
    return existing
  }

  private func validate(kind: RecordKind, id: RecordID, fields: RecordFields) throws -> Record {
    do { return try Record(kind: kind, id: id, fields: fields) } catch {
      throw ReplicaError(.invalidRecord, error.description)
    }
  }

  /// A replica writes only inside its scope, and not into a year whose final determination
  /// it already holds.
  private func checkWritable(_ record: Record) throws {
    guard scope.canWrite(record.scope) else {
      throw ReplicaError(.outOfScope, "scope \(record.scope) is outside this replica's scope \(scope)")
    }
    // The partial index of determinations (schema step 005), named: the planner would take
    // the index by kind and year, which holds every entry of the year.
    let determinations = try database.cachedStatement(
      """
      SELECT id, state FROM records INDEXED BY records_final_determinations
      WHERE kind = 'fund-entry' AND deleted = 0 AND scope = ? AND fiscal_year = ? AND json_extract(state, '$.kind') = 'final-determination'
      """
    ).rows([.text(record.scope.rawValue), .integer(Int64(record.fiscalYear.startYear))]).compactMap { row -> FundEntry? in
      let fields = try CanonicalJSON.decode(RecordFields.self, from: try row.string(1))
      return try? FundEntry(id: try RecordID(try row.string(0)), fields: fields)
    }
    if let closing = LedgerRules.closingDetermination(for: record, among: determinations) {
      throw ReplicaError(
        .closedYear,
        "\(record.fiscalYear.bothNames) of \(record.scope.label) is closed: final determination \(closing.id) is recorded; ask the bureau administrator")
    }
  }

  /// Stored JSON is decoded from the column's bytes: making each a `String` first was a
  /// validation, an allocation and a copy of every state an edit reads.
  private static func storedRecord(_ row: some RowColumns) throws -> StoredRecord {
    let kind = try RecordKind(rawValue: try row.string(0)).unwrap("record kind")
    let id = try RecordID(try row.string(1))
    let scope = try Scope(try row.string(2))
    let fields = try row.utf8(3) { try CanonicalJSON.decode(RecordFields.self, fromUTF8: $0) }
    let vector = try row.utf8(5) { try CanonicalJSON.decode(VersionVector.self, fromUTF8: $0) }
    let stamp = try row.utf8(6) { try CanonicalJSON.decode(VersionStamp.self, fromUTF8: $0) }
    let conflict = try row.optionalUTF8(7) { try CanonicalJSON.decode(ConflictSummary.self, fromUTF8: $0) }
    let version = RecordVersion(
      kind: kind, recordID: id, state: RecordState(fields: fields, deleted: try row.int64(4) != 0), vector: vector, stamp: stamp)
    return StoredRecord(
      version: version, scope: scope, conflict: conflict, hasLocalEdits: try row.int64(8) != 0,
      resolution: try row.optionalUTF8(9) { try CanonicalJSON.decode(ResolutionNote.self, fromUTF8: $0) })
  }

  private static func readMeta(_ database: Database) throws -> [String: String] {
    var meta: [String: String] = [:]
    for row in try database.cachedStatement("SELECT key, value FROM replica_meta").rows() {
      meta[try row.string(0)] = try row.string(1)
    }
    return meta
  }

  private func meta(_ key: String) throws -> String? {
    // Read in place: every write reads its sequence number here, and a Row would copy the
    // column's name and value first.
    try database.cachedStatement("SELECT value FROM replica_meta WHERE key = ?").withFirstRow([.text(key)]) { try $0?.string(0) }
  }

  private func setMeta(_ key: String, _ value: String) throws {
    try database.cachedStatement(
      "INSERT INTO replica_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
    ).execute([.text(key), .text(value)])
  }
}

extension Optional {
  func unwrap(_ what: String) throws -> Wrapped {
    guard let self else { throw ReplicaError(.notAReplica, "the database holds an unreadable \(what)") }
    return self
  }
}
