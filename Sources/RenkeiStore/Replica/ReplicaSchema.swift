import RenkeiCore

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
    migrator.registerMigration("002-note-search") { db in
      // Full-text search over hearing notes, kept in step with `records` by triggers, so
      // every path that writes a note's current version — local create, update and delete,
      // versions pulled from the hub, epoch reissues — updates the index in the same
      // transaction without Replica having to remember to.
      //
      // `note_text` holds each live note's searchable text. It is an ordinary table with an
      // INTEGER PRIMARY KEY because the index refers to rows by rowid: `records` has only an
      // implicit rowid, which VACUUM may renumber. `note_search` indexes it as an external
      // content table (the pattern of the FTS5 documentation, section 4.4.3) with the
      // trigram tokenizer, which needs no word breaks, so it indexes Japanese, and folds
      // case. Trigrams cannot match a word under three characters; Replica.searchNotes
      // scans `note_text` with LIKE for those (see Replica+Search.swift).
      try db.execute(
        """
        CREATE TABLE note_text (
          docid INTEGER PRIMARY KEY,
          record_id TEXT NOT NULL UNIQUE,
          topic TEXT NOT NULL,
          body TEXT NOT NULL,
          follow_ups TEXT NOT NULL,
          attendees TEXT NOT NULL
        ) STRICT;
        CREATE VIRTUAL TABLE note_search USING fts5(
          topic, body, follow_ups, attendees,
          content = 'note_text', content_rowid = 'docid', tokenize = 'trigram'
        );
        CREATE TRIGGER note_text_indexed AFTER INSERT ON note_text BEGIN
          INSERT INTO note_search(rowid, topic, body, follow_ups, attendees)
          VALUES (new.docid, new.topic, new.body, new.follow_ups, new.attendees);
        END;
        CREATE TRIGGER note_text_unindexed AFTER DELETE ON note_text BEGIN
          INSERT INTO note_search(note_search, rowid, topic, body, follow_ups, attendees)
          VALUES ('delete', old.docid, old.topic, old.body, old.follow_ups, old.attendees);
        END;
        CREATE TRIGGER note_text_reindexed AFTER UPDATE ON note_text BEGIN
          INSERT INTO note_search(note_search, rowid, topic, body, follow_ups, attendees)
          VALUES ('delete', old.docid, old.topic, old.body, old.follow_ups, old.attendees);
          INSERT INTO note_search(rowid, topic, body, follow_ups, attendees)
          VALUES (new.docid, new.topic, new.body, new.follow_ups, new.attendees);
        END;
        -- Notes already in the replica. Attendees (a JSON array) are joined with spaces;
        -- a search word never holds a space, so no match spans two names.
        INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
        SELECT id, coalesce(json_extract(state, '$.topic'), ''), coalesce(json_extract(state, '$.body'), ''),
          coalesce(json_extract(state, '$.follow_ups'), ''),
          coalesce((SELECT group_concat(value, ' ') FROM json_each(records.state, '$.attendees')), '')
        FROM records WHERE kind = 'note' AND deleted = 0;
        -- A live note gets a row; an update replaces it (a tombstone leaves none); a
        -- removed record takes its row with it.
        CREATE TRIGGER records_note_created AFTER INSERT ON records
        WHEN new.kind = 'note' AND new.deleted = 0 BEGIN
          INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
          VALUES (new.id, coalesce(json_extract(new.state, '$.topic'), ''), coalesce(json_extract(new.state, '$.body'), ''),
            coalesce(json_extract(new.state, '$.follow_ups'), ''),
            coalesce((SELECT group_concat(value, ' ') FROM json_each(new.state, '$.attendees')), ''));
        END;
        CREATE TRIGGER records_note_updated AFTER UPDATE ON records
        WHEN old.kind = 'note' OR new.kind = 'note' BEGIN
          DELETE FROM note_text WHERE record_id = old.id;
          INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
          SELECT new.id, coalesce(json_extract(new.state, '$.topic'), ''), coalesce(json_extract(new.state, '$.body'), ''),
            coalesce(json_extract(new.state, '$.follow_ups'), ''),
            coalesce((SELECT group_concat(value, ' ') FROM json_each(new.state, '$.attendees')), '')
          WHERE new.kind = 'note' AND new.deleted = 0;
        END;
        CREATE TRIGGER records_note_removed AFTER DELETE ON records
        WHEN old.kind = 'note' BEGIN
          DELETE FROM note_text WHERE record_id = old.id;
        END;
        """)
    }
    migrator.registerMigration("003-resolutions") { db in
      // Who resolved the record's last conflict and why, as the hub sent it.
      try db.execute("ALTER TABLE records ADD COLUMN resolution TEXT")
    }
    migrator.registerMigration("004-note-search-folded") { db in
      // Search folds width and case (SearchFolding): `note_text` now holds each note's text
      // folded, computed by `renkei_search_fold`, which every replica connection defines
      // (``defineFunctions(_:)``) before migrating. The triggers fold what they copy, and
      // the notes already indexed are folded and the index rebuilt from them.
      try db.execute(
        """
        DROP TRIGGER records_note_created;
        DROP TRIGGER records_note_updated;
        DROP TRIGGER records_note_removed;
        DELETE FROM note_text;
        INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
        SELECT \(searchColumns("records.state")) FROM records WHERE kind = 'note' AND deleted = 0;
        INSERT INTO note_search(note_search) VALUES ('rebuild');
        CREATE TRIGGER records_note_created AFTER INSERT ON records
        WHEN new.kind = 'note' AND new.deleted = 0 BEGIN
          INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
          SELECT \(searchColumns("new.state", id: "new.id"));
        END;
        CREATE TRIGGER records_note_updated AFTER UPDATE ON records
        WHEN old.kind = 'note' OR new.kind = 'note' BEGIN
          DELETE FROM note_text WHERE record_id = old.id;
          INSERT INTO note_text(record_id, topic, body, follow_ups, attendees)
          SELECT \(searchColumns("new.state", id: "new.id")) WHERE new.kind = 'note' AND new.deleted = 0;
        END;
        CREATE TRIGGER records_note_removed AFTER DELETE ON records
        WHEN old.kind = 'note' BEGIN
          DELETE FROM note_text WHERE record_id = old.id;
        END;
        """)
    }
    migrator.registerMigration("005-final-determinations") { db in
      try db.execute(
        """
        -- Every local edit asks whether a final determination closes its record's year. The
        -- index by kind and year had every fund entry of the year read and parsed for it,
        -- of every scope in a bureau's replica; this one holds the determinations alone.
        CREATE INDEX records_final_determinations ON records(scope, fiscal_year)
          WHERE kind = 'fund-entry' AND deleted = 0 AND json_extract(state, '$.kind') = 'final-determination';
        """)
    }
    return migrator
  }

  /// The SQL functions the schema's triggers call. A connection that writes records must
  /// define them first, or the first note written fails with "no such function".
  static func defineFunctions(_ db: Database) throws {
    try db.defineTextFunction("renkei_search_fold", SearchFolding.folded)
  }

  /// The values of a `note_text` row for the note whose state JSON is `state`: its id, then
  /// its topic, body, follow-ups and attendees (joined with spaces: a search word never holds
  /// a space, so no match spans two names), each folded for search.
  private static func searchColumns(_ state: String, id: String = "id") -> String {
    func folded(_ path: String) -> String { "renkei_search_fold(coalesce(json_extract(\(state), '$.\(path)'), ''))" }
    return """
      \(id), \(folded("topic")), \(folded("body")), \(folded("follow_ups")),
        renkei_search_fold(coalesce((SELECT group_concat(value, ' ') FROM json_each(\(state), '$.attendees')), ''))
      """
  }
}
