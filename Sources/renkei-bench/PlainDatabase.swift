import RenkeiHub
import RenkeiStore

/// The baselines' database: the same rows the product writes, in tables shaped like the
/// product's (same columns, keys and indexes), written with plain prepared INSERTs and
/// nothing else. It is a ``Database`` like the product's, so it runs with the same pragmas
/// (WAL, synchronous FULL, foreign keys, and the hub's page size and cache for the hub's tables).
enum PlainDatabase {
  /// Tables shaped like the hub's `changes`, `records` and `feed`.
  static func hubShaped(at path: String) throws -> Database {
    // The hub checkpoints on a queue of its own; the baseline's one commit copies its WAL
    // back itself, inside the time measured.
    var options = Hub.databaseOptions
    options.checkpointsInBackground = false
    let database = try Database(path: path, options: options)
    try database.execute(Hub.pageCachePragma)
    try database.execute(
      """
      CREATE TABLE changes (
        site TEXT NOT NULL, epoch INTEGER NOT NULL, sequence INTEGER NOT NULL, record_id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (site, epoch, sequence)
      ) STRICT;
      CREATE TABLE records (
        number INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, scope TEXT NOT NULL, fiscal_year INTEGER,
        state TEXT NOT NULL, deleted INTEGER NOT NULL, vector TEXT NOT NULL, stamp TEXT NOT NULL, feed_position INTEGER NOT NULL,
        conflict_id INTEGER, created_by TEXT NOT NULL, resolution TEXT, frontier TEXT NOT NULL
      ) STRICT;
      CREATE INDEX records_ledger ON records(kind, scope, fiscal_year);
      CREATE TABLE feed (
        scope TEXT NOT NULL, position INTEGER NOT NULL, record INTEGER NOT NULL, PRIMARY KEY (scope, position)
      ) STRICT, WITHOUT ROWID;
      """)
    return database
  }

  static let hubChangeInsert = "INSERT INTO changes(site, epoch, sequence, record_id, body) VALUES (?, ?, ?, ?, ?)"
  static let hubRecordInsert = """
    INSERT INTO records(
      id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution, frontier)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
  static let hubFeedInsert = "INSERT INTO feed(scope, position, record) VALUES (?, ?, ?)"

  /// Tables shaped like a replica's `changes` and `records` (the note search index is left
  /// out: its triggers fire for notes only, and the workloads write events).
  static func replicaShaped(at path: String) throws -> Database {
    let database = try Database(path: path)
    try database.execute(
      """
      CREATE TABLE records (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, scope TEXT NOT NULL, fiscal_year INTEGER, state TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0, vector TEXT NOT NULL, stamp TEXT NOT NULL, conflict TEXT,
        local_edits INTEGER NOT NULL DEFAULT 0, resolution TEXT
      ) STRICT;
      CREATE INDEX records_by_kind ON records(kind, fiscal_year);
      CREATE TABLE changes (
        epoch INTEGER NOT NULL, sequence INTEGER NOT NULL, record_id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (epoch, sequence)
      ) STRICT;
      CREATE INDEX changes_by_record ON changes(record_id);
      """)
    return database
  }

  static let replicaChangeInsert = "INSERT INTO changes(epoch, sequence, record_id, body) VALUES (?, ?, ?, ?)"
  /// A write replaces the record's row: an INSERT that replaces, as plain as an upsert gets.
  static let replicaRecordInsert = """
    INSERT OR REPLACE INTO records(id, kind, scope, fiscal_year, state, deleted, vector, stamp, conflict, local_edits)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1)
    """
}
