import RenkeiStore

/// The hub's schema, as ordered migrations recorded in the database.
enum HubSchema {
  /// The first step every hub database records: how a hub's file is told from another.
  static let firstStep = "001-hub"

  static var migrator: Migrator {
    var migrator = Migrator()
    migrator.registerMigration(firstStep) { db in
      try db.execute(
        """
        CREATE TABLE hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        -- The last sequence received from each writer (site and epoch).
        CREATE TABLE writers (
          site TEXT NOT NULL,
          epoch INTEGER NOT NULL,
          last_sequence INTEGER NOT NULL,
          PRIMARY KEY (site, epoch)
        ) STRICT;
        -- Every change received, as sent: the idempotency key and the audit of what came in.
        CREATE TABLE changes (
          site TEXT NOT NULL,
          epoch INTEGER NOT NULL,
          sequence INTEGER NOT NULL,
          record_id TEXT NOT NULL,
          body TEXT NOT NULL,
          PRIMARY KEY (site, epoch, sequence)
        ) STRICT;
        -- The versions edits wrote, per record: merged versions are recomputed from them.
        CREATE TABLE versions (
          record_id TEXT NOT NULL,
          vector TEXT NOT NULL,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          stamp TEXT NOT NULL,
          -- 1 for the versions no other version of the record descends from.
          frontier INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (record_id, vector)
        ) STRICT;
        CREATE INDEX versions_frontier ON versions(record_id) WHERE frontier = 1;
        -- Each record's current version, and its place in the pull feed.
        CREATE TABLE records (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          scope TEXT NOT NULL,
          fiscal_year INTEGER,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          vector TEXT NOT NULL,
          stamp TEXT NOT NULL,
          feed_position INTEGER NOT NULL UNIQUE,
          conflict_id INTEGER,
          created_by TEXT NOT NULL
        ) STRICT;
        CREATE INDEX records_feed ON records(scope, feed_position);
        CREATE INDEX records_ledger ON records(kind, scope, fiscal_year);
        -- What the rules could not settle, kept whole until a person resolves it.
        CREATE TABLE conflicts (
          id INTEGER PRIMARY KEY,
          record_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          scope TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
          fields TEXT NOT NULL,
          base TEXT,
          sides TEXT NOT NULL,
          related TEXT,
          revision INTEGER NOT NULL DEFAULT 1,
          opened_at TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX conflicts_one_open ON conflicts(record_id) WHERE status = 'open';
        """)
    }
    migrator.registerMigration("002-sites") { db in
      try db.execute(
        """
        -- The sites allowed to sync, and their tokens' SHA-256: the tokens themselves are
        -- shown once at registration and never stored.
        CREATE TABLE sites (
          name TEXT PRIMARY KEY,
          role TEXT NOT NULL CHECK (role IN ('prefecture', 'bureau', 'admin')),
          scope TEXT NOT NULL,
          token_hash TEXT NOT NULL UNIQUE,
          created_at TEXT NOT NULL,
          revoked_at TEXT
        ) STRICT;
        """)
    }
    migrator.registerMigration("003-bundle-keys") { db in
      // The key that seals offline bundles, derived from the token (which is not stored).
      // Sites registered before this step have none and must be registered again to use bundles.
      try db.execute("ALTER TABLE sites ADD COLUMN bundle_key BLOB")
    }
    migrator.registerMigration("004-resolutions-and-audit") { db in
      try db.execute(
        """
        -- How a conflict was settled: who, when, why, which choice (JSON).
        ALTER TABLE conflicts ADD COLUMN resolution TEXT;
        -- Set while a record's current version is an administrator's resolution, so every
        -- replica can show who resolved it and why.
        ALTER TABLE records ADD COLUMN resolution TEXT;
        -- Every resolution and every refused change or bundle: who, when, what, why.
        CREATE TABLE audit (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL CHECK (action IN ('resolve', 'refuse')),
          record_id TEXT,
          conflict_id INTEGER,
          reason TEXT NOT NULL,
          detail TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_record ON audit(record_id);
        CREATE INDEX audit_at ON audit(at);
        """)
    }
    migrator.registerMigration("005-tombstone-compaction") { db in
      try db.execute(
        """
        -- When the hub last stored the record's current version, in seconds since 1970: the
        -- age compaction measures.
        ALTER TABLE records ADD COLUMN stored_at INTEGER;
        -- The record's vector when its tombstone was compacted: the history at or before it is
        -- gone, so an edit built on it is recognised as stale and sent to review.
        ALTER TABLE records ADD COLUMN compacted_vector TEXT;
        """)
    }
    migrator.registerMigration("006-audit-scope-and-coalescing") { db in
      try db.execute(
        """
        -- Whose entry it is: the scope of the site that acted (for a resolution, the conflict's),
        -- so each bureau's administrator reads only its own bureau's entries. NULL for a
        -- request no registered site sent (no token, a malformed or an unknown one).
        ALTER TABLE audit ADD COLUMN scope TEXT;
        -- Set on refusals nobody is accountable for (no valid token): one row per key and
        -- hour counts them all, so a flood of such requests cannot grow the audit faster
        -- than the clock. See Hub.recordRefusal.
        ALTER TABLE audit ADD COLUMN coalesce_key TEXT;
        UPDATE audit SET scope = (SELECT conflicts.scope FROM conflicts WHERE conflicts.id = audit.conflict_id)
          WHERE conflict_id IS NOT NULL;
        UPDATE audit SET scope = (SELECT sites.scope FROM sites WHERE sites.name = audit.actor) WHERE scope IS NULL;
        CREATE INDEX audit_scope ON audit(scope);
        CREATE INDEX audit_coalesce ON audit(coalesce_key, at) WHERE coalesce_key IS NOT NULL;
        """)
    }
    migrator.registerMigration("007-frontier-on-records") { db in
      // An edit of an old record wrote seven pages all over a large file: besides the record's
      // row and its feed entry, the old version's frontier flag and its entry in the frontier
      // index, the new version's key, and the record's entries in the feed-position and ledger
      // indexes. Each record's frontier now lives in its row, so the history is only ever
      // appended to, and the feed position keeps the feed's index alone (positions come
      // from the one counter in hub_meta). The rowids of `records` are kept: the pull feed
      // joins on them.
      try db.execute(
        """
        CREATE TABLE records_with_frontier (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          scope TEXT NOT NULL,
          fiscal_year INTEGER,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          vector TEXT NOT NULL,
          stamp TEXT NOT NULL,
          feed_position INTEGER NOT NULL,
          conflict_id INTEGER,
          created_by TEXT NOT NULL,
          resolution TEXT,
          stored_at INTEGER,
          compacted_vector TEXT,
          -- The vectors of the versions no other version of the record descends from, in byte
          -- order, as a JSON array: the versions a concurrent edit merges with.
          frontier TEXT NOT NULL
        ) STRICT;
        INSERT INTO records_with_frontier(
          rowid, id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution,
          stored_at, compacted_vector, frontier)
        SELECT rowid, id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution,
          stored_at, compacted_vector,
          '[' || coalesce((SELECT group_concat(vector, ',') FROM (
            SELECT vector FROM versions WHERE versions.record_id = records.id AND frontier = 1 ORDER BY vector)), '') || ']'
        FROM records ORDER BY rowid;
        DROP TABLE records;
        ALTER TABLE records_with_frontier RENAME TO records;
        CREATE UNIQUE INDEX records_feed ON records(scope, feed_position);
        CREATE INDEX records_ledger ON records(kind, scope, fiscal_year);
        DROP INDEX versions_frontier;
        ALTER TABLE versions DROP COLUMN frontier;
        """)
    }
    migrator.registerMigration("008-history-chain") { db in
      // Every change inserted its version into the history's primary-key index, keyed by
      // record id: one more page at a random place in a large file per change, written to
      // the WAL and again at the checkpoint. The history is now a chain instead (see
      // Hub+History): each version names the one its record stored before it, the record's
      // row names the last, and the table is only ever appended to. A version's number is
      // its old rowid, so the chain runs in the order the versions were stored; it is an
      // INTEGER PRIMARY KEY because VACUUM may renumber plain rowids, which would break
      // the links.
      try db.execute(
        """
        CREATE TEMP TABLE history_links (version INTEGER PRIMARY KEY, previous INTEGER);
        INSERT INTO history_links(version, previous)
          SELECT rowid, lag(rowid) OVER (PARTITION BY record_id ORDER BY rowid) FROM versions;
        CREATE TABLE versions_chained (
          number INTEGER PRIMARY KEY,
          record_id TEXT NOT NULL,
          vector TEXT NOT NULL,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          stamp TEXT NOT NULL,
          -- The number of the version of the same record stored just before this one; NULL for its first.
          previous INTEGER
        ) STRICT;
        INSERT INTO versions_chained(number, record_id, vector, state, deleted, stamp, previous)
          SELECT v.rowid, v.record_id, v.vector, v.state, v.deleted, v.stamp, l.previous
          FROM versions v JOIN history_links l ON l.version = v.rowid ORDER BY v.rowid;
        DROP TABLE versions;
        ALTER TABLE versions_chained RENAME TO versions;
        DROP TABLE history_links;
        -- The number of the version the record's history stored last: where its chain starts.
        ALTER TABLE records ADD COLUMN last_version INTEGER;
        UPDATE records SET last_version = latest.version
          FROM (SELECT record_id, max(number) AS version FROM versions GROUP BY record_id) AS latest
          WHERE latest.record_id = records.id;
        """)
    }
    migrator.registerMigration("009-feed-log") { db in
      // The pull feed was an index on the records' (scope, feed_position): each edit moved
      // its record's entry from an old position, at a random place in a large index, to the
      // end, and deleting the old entry cost one more page written per change. The feed is
      // now a log appended to at each scope's end; an entry whose record has moved on since
      // is left in place and skipped by pulls (its position is no longer the record's), and
      // `renkei-hub compact` drops such entries. Triggers add the entries, so every position
      // a record is given is in the feed whichever statement gives it, and a merge runs no
      // statement of its own for it.
      //
      // An entry names its record by number. The records are rebuilt for that: a number is
      // the record's old rowid, made an INTEGER PRIMARY KEY, which VACUUM keeps.
      try db.execute(
        """
        CREATE TABLE records_numbered (
          number INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          scope TEXT NOT NULL,
          fiscal_year INTEGER,
          state TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          vector TEXT NOT NULL,
          stamp TEXT NOT NULL,
          feed_position INTEGER NOT NULL,
          conflict_id INTEGER,
          created_by TEXT NOT NULL,
          resolution TEXT,
          stored_at INTEGER,
          compacted_vector TEXT,
          frontier TEXT NOT NULL,
          last_version INTEGER
        ) STRICT;
        INSERT INTO records_numbered(
          number, id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution,
          stored_at, compacted_vector, frontier, last_version)
        SELECT rowid, id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, conflict_id, created_by, resolution,
          stored_at, compacted_vector, frontier, last_version
        FROM records ORDER BY rowid;
        DROP TABLE records;
        ALTER TABLE records_numbered RENAME TO records;
        CREATE INDEX records_ledger ON records(kind, scope, fiscal_year);
        CREATE TABLE feed (
          scope TEXT NOT NULL,
          position INTEGER NOT NULL,
          -- The record's number in `records`.
          record INTEGER NOT NULL,
          PRIMARY KEY (scope, position)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO feed(scope, position, record) SELECT scope, feed_position, number FROM records ORDER BY scope, feed_position;
        CREATE TRIGGER records_enter_feed AFTER INSERT ON records BEGIN
          INSERT INTO feed(scope, position, record) VALUES (new.scope, new.feed_position, new.number);
        END;
        CREATE TRIGGER records_move_in_feed AFTER UPDATE OF feed_position ON records BEGIN
          INSERT INTO feed(scope, position, record) VALUES (new.scope, new.feed_position, new.number);
        END;
        """)
    }
    migrator.registerMigration("010-feed-order") { db in
      // The feed in position order, for readers of every scope (a bureau): a page is then
      // the next entries of this index, where one range per scope read a page from each of
      // eleven scopes to keep one. It names the record too, so a pull reads no entry of
      // the feed itself; a push appends one more entry, at the index's end.
      try db.execute("CREATE INDEX feed_order ON feed(position, record)")
    }
    migrator.registerMigration("011-site-pull-progress") { db in
      // How far the hub has sent each site the feed, and when a pull of it last reached the
      // feed's end, so compaction waits until every site that may read a tombstone has been
      // sent it (Hub+Compaction). Sites start at 0: after this step nothing is compacted
      // until each has synced once.
      try db.execute(
        """
        ALTER TABLE sites ADD COLUMN pulled_through INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sites ADD COLUMN last_pulled_at TEXT;
        """)
    }
    migrator.registerMigration("012-final-determinations") { db in
      try db.execute(
        """
        -- Every edit of a record asks whether a final determination closes its scope's year.
        -- Through records_ledger that read and parsed every fund entry of the year, for
        -- every edit of an event or note too: about 100 µs more per edit with 100 entries in
        -- the year. The index holds a year's few determinations alone.
        CREATE INDEX records_final_determinations ON records(scope, fiscal_year)
          WHERE kind = 'fund-entry' AND deleted = 0 AND json_extract(state, '$.kind') = 'final-determination';
        """)
    }
    return migrator
  }
}
