import Foundation
import RenkeiCore
import Testing

@testable import RenkeiStore

/// Note search folds width and case on the index and on the words, leaving notes as written;
/// replicas made before the folding rebuild their index when they are opened.
@Suite struct NoteSearchFoldingTests {
  static let previousSchema = "003-resolutions"

  func note(_ topic: String, body: String = "", attendees: [String] = []) -> RecordFields {
    [
      "scope": .string("11"), "held_on": .string("2023-06-12"), "topic": .text(topic), "body": .text(body),
      "attendees": .set(attendees),
    ]
  }

  func found(_ replica: Replica, _ words: String) throws -> [String] {
    try replica.searchNotes(words).map(\.id.rawValue).sorted()
  }

  @Test func widthAndCaseDoNotMatterEitherWay() throws {
    let replica = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
    try replica.create(.note, id: RecordID("wide"), fields: note("ＡＢＣ研修の報告", body: "２０２６年度の計画\nｹｱﾏﾈｼﾞｬｰ連絡会"))
    try replica.create(.note, id: RecordID("narrow"), fields: note("abc seminar", body: "2026 plan\nケアマネジャー", attendees: ["ＡＢＣ商事"]))
    try replica.create(.note, id: RecordID("other"), fields: note("住まい確保", body: "2025年度"))
    for words in ["ABC", "abc", "ＡＢＣ", "ａｂｃ", "Ab"] {
      #expect(try found(replica, words) == ["narrow", "wide"], "\(words)")
    }
    for words in ["2026", "２０２６", "２０2６"] {
      #expect(try found(replica, words) == ["narrow", "wide"], "\(words)")
    }
    for words in ["20", "２０", "２０2"] {
      #expect(try found(replica, words) == ["narrow", "other", "wide"], "\(words)")
    }
    for words in ["ケアマネ", "ｹｱﾏﾈ", "ケア", "ｹｱ", "ジャー", "ｼﾞｬｰ"] {
      #expect(try found(replica, words) == ["narrow", "wide"], "\(words)")
    }
    #expect(try found(replica, "abc\u{3000}2026") == ["narrow", "wide"])
    #expect(try found(replica, "ＡＢＣ商事") == ["narrow"])
    // Folded for search only: each note keeps its text as written.
    #expect(try replica.record(RecordID("wide"))?.state["topic"] == .string("ＡＢＣ研修の報告"))
    #expect(try replica.record(RecordID("wide"))?.state["body"] == .string("２０２６年度の計画\nｹｱﾏﾈｼﾞｬｰ連絡会"))
    #expect(try replica.record(RecordID("narrow"))?.state["attendees"] == .strings(["ＡＢＣ商事"]))
  }

  @Test func anEditOrDeleteKeepsTheFoldedIndexInStep() throws {
    let replica = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
    let created = try replica.create(.note, fields: note("ヒアリング", body: "ＸＹＺ"))
    #expect(try found(replica, "xyz") == [created.recordID.rawValue])
    try replica.update(created.recordID, fields: ["body": .text("ＱＲＳ")])
    #expect(try found(replica, "xyz").isEmpty)
    #expect(try found(replica, "qrs") == [created.recordID.rawValue])
    try replica.delete(created.recordID)
    #expect(try found(replica, "qrs").isEmpty)
  }

  /// A replica file written by the schema before the folding: its notes are indexed as
  /// written, so `abc` cannot find ＡＢＣ there until the migration rebuilds the index.
  @Test func aReplicaOfThePreviousSchemaIsMigratedWhenOpened() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-search-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("replica.db").path

    let wide = try Record(kind: .note, id: RecordID("wide"), fields: note("ＡＢＣ研修", body: "２０２６年度\nｹｱﾏﾈ", attendees: ["Ｓａｔｏ"]))
    let narrow = try Record(kind: .note, id: RecordID("narrow"), fields: note("住まい確保", body: "2025"))
    let deleted = try Record(kind: .note, id: RecordID("deleted"), fields: note("ＡＢＣ削除済み"))
    let writer = WriterID(site: SiteID(rawValue: "saitama")!, epoch: 1)
    do {
      let old = try Database(path: path)
      try ReplicaSchema.migrator.prefix(through: Self.previousSchema).migrate(old)
      try old.execute(
        """
        INSERT INTO replica_meta(key, value) VALUES ('site', 'saitama'), ('scope', '11'), ('epoch', '1'), ('author', '田中'),
          ('next_sequence', '1'), ('acknowledged_sequence', '0'), ('pull_cursor', '0'), ('hlc', '\(HybridTimestamp.zero.rawValue)')
        """)
      for (record, isDeleted) in [(wide, false), (narrow, false), (deleted, true)] {
        try old.prepare(
          "INSERT INTO records(id, kind, scope, fiscal_year, state, deleted, vector, stamp) VALUES (?, 'note', '11', 2023, ?, ?, '{}', ?)"
        ).execute([
          .text(record.id.rawValue), .text(try CanonicalJSON.encode(record.fields)), .integer(isDeleted ? 1 : 0),
          .text(try CanonicalJSON.encode(VersionStamp(writer: writer, author: "田中", timestamp: .zero))),
        ])
      }
      // The previous index holds the text as written: a folded word finds nothing.
      let match = "SELECT count(*) FROM note_search WHERE note_search MATCH ?"
      #expect(try old.prepare(match).firstRow([.text("\"abc\"")])?.int64(0) == 0)
      #expect(try old.prepare(match).firstRow([.text("\"ＡＢＣ\"")])?.int64(0) == 1)
      #expect(try ReplicaSchema.migrator.appliedMigrations(old).last == Self.previousSchema)
    }

    let replica = try Replica(path: path)
    #expect(try ReplicaSchema.migrator.appliedMigrations(replica.database).contains("004-note-search-folded"))
    #expect(try found(replica, "abc") == ["wide"])
    #expect(try found(replica, "2026") == ["wide"])
    #expect(try found(replica, "ケアマネ") == ["wide"])
    #expect(try found(replica, "sato") == ["wide"])
    #expect(try found(replica, "住まい") == ["narrow"])
    #expect(try found(replica, "削除").isEmpty, "a deleted note stays out of the index")
    #expect(try replica.database.prepare("PRAGMA integrity_check").firstRow()?.string(0) == "ok")
    // FTS5's own check fails with SQLITE_CORRUPT_VTAB if the index disagrees with its content.
    try replica.database.execute("INSERT INTO note_search(note_search) VALUES ('integrity-check')")
    // The stored notes are as they were.
    #expect(try replica.record(RecordID("wide"))?.state.fields == wide.fields)
    // Notes written after the migration are folded by the new triggers.
    try replica.create(.note, id: RecordID("later"), fields: note("ＤＥＦ会議"))
    #expect(try found(replica, "def") == ["later"])
  }
}
