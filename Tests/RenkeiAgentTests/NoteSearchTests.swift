import Foundation
import RenkeiCore
import RenkeiStore
import Testing

@Suite struct NoteSearchTests {
  func makeReplica(at path: String = ":memory:") throws -> Replica {
    try Replica.create(at: path, site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "田中")
  }

  func note(
    topic: String, body: String = "", followUps: String = "", attendees: [String] = [], heldOn: String = "2023-06-12"
  ) -> RecordFields {
    [
      "scope": .string("11"), "held_on": .string(heldOn), "topic": .text(topic), "attendees": .set(attendees),
      "body": .text(body), "follow_ups": .text(followUps), "status": .string("draft"),
    ]
  }

  func found(_ replica: Replica, _ words: String) throws -> [String] {
    try replica.searchNotes(words).map(\.id.rawValue)
  }

  @Test func aTwoCharacterJapaneseWordIsFound() throws {
    let replica = try makeReplica()
    let dementia = try replica.create(.note, id: RecordID("dementia"), fields: note(topic: "認知症施策の進捗ヒアリング"))
    try replica.create(.note, id: RecordID("housing"), fields: note(topic: "住まい確保の支援"))
    #expect(try found(replica, "認知") == [dementia.recordID.rawValue])
    #expect(try found(replica, "認知症") == ["dementia"])
    #expect(try found(replica, "認") == ["dementia"])
    #expect(try found(replica, "支援") == ["housing"])
  }

  @Test func englishMatchesInAnyCase() throws {
    let replica = try makeReplica()
    try replica.create(.note, id: RecordID("seminar"), fields: note(topic: "研修", body: "Joint seminar with the transport bureau."))
    #expect(try found(replica, "Seminar") == ["seminar"])
    #expect(try found(replica, "SEMINAR") == ["seminar"])
    #expect(try found(replica, "seminar") == ["seminar"])
    // Shorter than a trigram: the LIKE path, which folds ASCII case too.
    #expect(try found(replica, "JO") == ["seminar"])
    #expect(try found(replica, "x") == [])
  }

  @Test func everyFieldIsSearched() throws {
    let replica = try makeReplica()
    try replica.create(
      .note, id: RecordID("n1"),
      fields: note(
        topic: "介護人材の確保", body: "処遇改善加算の取得状況を確認した。", followUps: "次回までに研修計画を提出",
        attendees: ["佐藤", "高橋課長"]))
    #expect(try found(replica, "介護人材") == ["n1"])
    #expect(try found(replica, "処遇改善") == ["n1"])
    #expect(try found(replica, "研修計画") == ["n1"])
    #expect(try found(replica, "佐藤") == ["n1"])
    #expect(try found(replica, "高橋課長") == ["n1"])
    // Attendees are kept apart: no match spans two names.
    #expect(try found(replica, "佐藤高橋") == [])
  }

  @Test func everyWordMustMatch() throws {
    let replica = try makeReplica()
    try replica.create(.note, id: RecordID("a"), fields: note(topic: "認知症カフェ", body: "seminar", heldOn: "2023-05-01"))
    try replica.create(.note, id: RecordID("b"), fields: note(topic: "認知症サポーター", body: "visit", heldOn: "2023-07-01"))
    #expect(try found(replica, "認知") == ["b", "a"])  // most recently held first
    #expect(try found(replica, "認知 seminar") == ["a"])
    #expect(try found(replica, "認知\u{3000}カフェ") == ["a"])
    #expect(try found(replica, "認知症 visit") == ["b"])
    #expect(try found(replica, "カフェ visit") == [])
    #expect(try found(replica, "") == [])
    #expect(try found(replica, "  \u{3000} ") == [])
  }

  @Test func textAndWordsAreComparedInNFC() throws {
    let replica = try makeReplica()
    try replica.create(.note, id: RecordID("cancer"), fields: note(topic: "がん検診の受診率"))
    #expect(try found(replica, "か\u{3099}ん") == ["cancer"])
    #expect(try found(replica, "か\u{3099}ん検診") == ["cancer"])
  }

  @Test func likeWildcardsAreLiteral() throws {
    let replica = try makeReplica()
    try replica.create(.note, id: RecordID("rate"), fields: note(topic: "達成率50%"))
    try replica.create(.note, id: RecordID("yen"), fields: note(topic: "5000円の補助"))
    #expect(try found(replica, "0%") == ["rate"])
    #expect(try found(replica, "%") == ["rate"])
    #expect(try found(replica, "_") == [])
    #expect(try found(replica, "\"50%\"") == [])
  }

  @Test func aDeletedNoteIsNotFound() throws {
    let replica = try makeReplica()
    let created = try replica.create(.note, fields: note(topic: "認知症初期集中支援チーム"))
    #expect(try found(replica, "認知").count == 1)
    try replica.delete(created.recordID)
    #expect(try found(replica, "認知") == [])
    #expect(try found(replica, "認知症初期") == [])
  }

  @Test func anEditedNoteIsFoundByItsNewTextOnly() throws {
    let replica = try makeReplica()
    let created = try replica.create(.note, fields: note(topic: "ヒアリング", body: "認知症の方への支援について"))
    try replica.update(created.recordID, fields: ["body": .text("地域ケア会議の開催状況について")])
    #expect(try found(replica, "認知") == [])
    #expect(try found(replica, "認知症の方") == [])
    #expect(try found(replica, "地域ケア会議") == [created.recordID.rawValue])
  }

  @Test func eventsAreNotNotes() throws {
    let replica = try makeReplica()
    try replica.create(
      .event,
      fields: [
        "scope": .string("11"), "kind": .string("seminar"), "title": .text("認知症セミナー"), "starts_on": .string("2023-06-01"),
      ])
    #expect(try found(replica, "認知") == [])
    #expect(try found(replica, "認知症セミナー") == [])
  }

  @Test func aNotePulledFromTheHubIsFound() throws {
    let replica = try makeReplica()
    let hub = WriterID(site: SiteID(rawValue: "hub")!, epoch: 1)
    let id = try RecordID("pulled-note")
    func pulled(_ counter: UInt64, _ fields: RecordFields, deleted: Bool = false, position: UInt64) -> FeedEntry {
      FeedEntry(
        position: position, scope: try! Scope("11"),
        version: RecordVersion(
          kind: .note, recordID: id, state: RecordState(fields: fields, deleted: deleted),
          vector: VersionVector([hub: counter]),
          stamp: VersionStamp(writer: hub, author: "関東信越厚生局", timestamp: HybridTimestamp(milliseconds: 1_685_412_000_000 + Int64(counter)))),
        conflict: nil)
    }
    let first = note(topic: "県ヒアリング", body: "Seminar on 認知症 care", attendees: ["鈴木"])
    try replica.apply([pulled(1, first, position: 1)], cursor: 1)
    #expect(try found(replica, "認知") == ["pulled-note"])
    #expect(try found(replica, "seminar") == ["pulled-note"])
    #expect(try found(replica, "鈴木") == ["pulled-note"])

    // A newer version from the hub replaces the text the index holds.
    var second = first
    second["body"] = .text("介護予防の取組")
    try replica.apply([pulled(2, second, position: 2)], cursor: 2)
    #expect(try found(replica, "認知") == [])
    #expect(try found(replica, "介護予防") == ["pulled-note"])

    // And a tombstone from the hub removes it.
    try replica.apply([pulled(3, second, deleted: true, position: 3)], cursor: 3)
    #expect(try found(replica, "介護予防") == [])
  }

  @Test func notesWrittenBeforeTheIndexExistedAreIndexedByTheMigration() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-search-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("replica.sqlite").path

    do {
      let replica = try makeReplica(at: path)
      try replica.create(.note, id: RecordID("early"), fields: note(topic: "認知症施策"))
      try replica.create(.note, id: RecordID("gone"), fields: note(topic: "認知症カフェ"))
      try replica.delete(RecordID("gone"))
      // Put the database back as a replica from before the index: no note tables, no record
      // of the migration.
      try replica.database.execute(
        """
        DROP TRIGGER records_note_created; DROP TRIGGER records_note_updated; DROP TRIGGER records_note_removed;
        DROP TABLE note_search; DROP TABLE note_text;
        DELETE FROM renkei_migrations WHERE name = '002-note-search';
        """)
      replica.database.close()
    }
    let reopened = try Replica(path: path)
    #expect(try found(reopened, "認知") == ["early"])
    #expect(try found(reopened, "認知症施策") == ["early"])
  }
}
