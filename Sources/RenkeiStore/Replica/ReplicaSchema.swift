/// The replica's schema, as ordered migrations recorded in the database.
enum ReplicaSchema {
  static var migrator: Migrator {
    var migrator = Migrator()
    migrator.registerMigration("001-replica") { db in
      try db.execute(
        """
        CREATE TABLE replica_meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        -- One row per record: its current version as this replica sees it.
        CREATE TABLE records (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          scope TEXT NOT NULL,
          fiscal_year INTEGER,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL DEFAULT 0,
          vector TEXT NOT NULL,
          stamp TEXT NOT NULL,
          conflict TEXT,
          local_edits INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX records_by_kind ON records(kind, fiscal_year);
        -- The change log: every local write, gap-free per epoch.
        CREATE TABLE changes (
          epoch INTEGER NOT NULL,
          sequence INTEGER NOT NULL,
          record_id TEXT NOT NULL,
          body TEXT NOT NULL,
          PRIMARY KEY (epoch, sequence)
        ) STRICT;
        CREATE INDEX changes_by_record ON changes(record_id);
        """)
    }
    return migrator
  }
}
