import RenkeiCore
import RenkeiStore

/// Each record's version history, stored as a chain: every version names the number of the
/// one its record stored before it (`previous`), and the record's row names the last
/// (`last_version`). The numbers are an INTEGER PRIMARY KEY, which VACUUM keeps.
///
/// The history is only ever appended to, and has no index: an index keyed by record id
/// took one write at a random place in a large file for every change, besides the record's
/// own row, and about a fifth of a merge's time went into it (see migration 008). Finding
/// a version walks the chain back from the newest, which is where the versions a merge needs
/// are: the frontier, the version an edit was made on, and their common base.
extension Hub {
  /// Appends `version` to its record's history after the version stored last (`previous`,
  /// nil for a record's first); returns its number, which the record's row then names.
  func storeVersion(_ version: RecordVersion, after previous: Int64?) throws -> Int64 {
    let text = try storedText(of: version)
    try database.cachedStatement("INSERT INTO versions(record_id, vector, state, deleted, stamp, previous) VALUES (?, ?, ?, ?, ?, ?)")
      .execute([
        .text(version.recordID.rawValue), .text(text.vector), .text(text.fields), .integer(version.state.deleted ? 1 : 0),
        .text(text.stamp), previous.map { .integer($0) } ?? .null,
      ])
    return database.lastInsertRowID
  }

  /// The stored versions of the record with the vectors `wanted`, by vector; a vector the
  /// history does not hold is left out. Stops walking once every one is found.
  func storedVersions(of row: CurrentRow, _ wanted: Set<VersionVector>) throws -> [VersionVector: RecordVersion] {
    var byText: [String: VersionVector] = [:]
    for vector in wanted where !vector.isEmpty { byText[try CanonicalJSON.encode(vector)] = vector }
    var found: [VersionVector: RecordVersion] = [:]
    guard !byText.isEmpty else { return found }
    try walkHistory(of: row) { stored in
      let text = try stored.string(Self.historyVectorColumn)
      if let vector = byText[text], found[vector] == nil { found[vector] = try Self.version(stored, of: row) }
      return found.count < byText.count
    }
    return found
  }

  /// The stored version of the record with `vector`, nil when its history does not hold it.
  func storedVersion(of row: CurrentRow, _ vector: VersionVector) throws -> RecordVersion? {
    try storedVersions(of: row, [vector])[vector]
  }

  /// Every version the record's history holds, in the order of their vectors' JSON.
  func storedHistory(of row: CurrentRow) throws -> [RecordVersion] {
    var versions: [(text: String, version: RecordVersion)] = []
    try walkHistory(of: row) { stored in
      versions.append((try stored.string(Self.historyVectorColumn), try Self.version(stored, of: row)))
      return true
    }
    return versions.sorted { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }.map(\.version)
  }

  /// Deletes the record's whole history; returns how many versions it held. The record's row
  /// must then be given a new last version.
  func deleteHistory(of row: CurrentRow) throws -> Int {
    var rows: [Int64] = []
    try walkHistory(of: row) { stored in
      rows.append(try stored.int64(Self.historyRowColumn))
      return true
    }
    for number in rows { try database.cachedStatement("DELETE FROM versions WHERE number = ?").execute([.integer(number)]) }
    return rows.count
  }

  private static let historyRowColumn = 0
  private static let historyVectorColumn = 2

  /// Calls `visit` with each version of the record's history, newest first, until it returns
  /// false. A link that leads nowhere, to another record or forward (which could loop) is
  /// a damaged database: it throws ``HubStorageError`` instead of returning a partial history.
  private func walkHistory(of row: CurrentRow, _ visit: (StatementRow) throws -> Bool) throws {
    let step = try database.cachedStatement(
      "SELECT number, record_id, vector, state, deleted, stamp, previous FROM versions WHERE number = ?")
    var next = row.lastVersion
    while let current = next {
      var previous: Int64?
      var goOn = false
      try step.withFirstRow([.integer(current)]) { stored in
        guard let stored, try stored.string(1) == row.version.recordID.rawValue else {
          throw HubStorageError("the hub database's history of record \(row.version.recordID) is broken at version \(current)")
        }
        previous = try stored.optionalInt64(6)
        if let previous, previous >= current {
          throw HubStorageError("the hub database's history of record \(row.version.recordID) loops at version \(current)")
        }
        goOn = try visit(stored)
      }
      next = goOn ? previous : nil
    }
  }

  private static func version(_ stored: StatementRow, of row: CurrentRow) throws -> RecordVersion {
    try version(
      kind: row.kind.rawValue, id: row.version.recordID.rawValue, state: stored.string(3), deleted: stored.int64(4),
      vector: stored.string(2), stamp: stored.string(5))
  }
}

extension Hub {
  /// The record's history as people read it: every edit the hub holds, oldest first, with
  /// who, when and which fields. Nil for a record the hub does not hold, or one `scope` may
  /// not read (whose existence is not told); no scope is the hub's own console, which reads all.
  public func recordHistory(of id: RecordID, readableBy scope: Scope?) throws -> RecordHistoryPage? {
    try storedRecordHistory(of: id, readableBy: scope).map { $0() }
  }

  /// What ``recordHistory(of:readableBy:)`` reads from the database, and a function that makes
  /// the page from it without the database: comparing each edit with the state it was written
  /// on may merge versions again, which the server does outside its lock on the hub.
  public func storedRecordHistory(of id: RecordID, readableBy scope: Scope?) throws -> (@Sendable () -> RecordHistoryPage)? {
    guard let row = try currentRow(id), scope?.canRead(row.scope) ?? true else { return nil }
    let history = VersionHistory(kind: row.kind, recordID: id, versions: try storedHistory(of: row))
    // Admin sites never push: every version one of them wrote is a decision (Hub+Resolution).
    let administrators = Set(
      try database.cachedStatement("SELECT name FROM sites WHERE role = 'admin'").rows().compactMap { SiteID(rawValue: try $0.string(0)) })
    let (recordScope, deleted, complete) = (row.scope, row.version.state.deleted, row.compactedVector == nil)
    return {
      RecordHistoryPage(history: history, scope: recordScope, deleted: deleted, complete: complete, resolutionSites: administrators)
    }
  }
}
