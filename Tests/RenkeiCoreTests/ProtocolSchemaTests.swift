import Foundation
import RenkeiCore
import Testing

/// Checks `Protocol/schemas/` against what RenkeiCore really encodes and decodes: real values
/// validate, the shared vectors validate, and broken documents are rejected.
@Suite struct ProtocolSchemaTests {
  static var protocolDirectory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Protocol")
  }

  /// The schemas, loaded once: every test reads them, none changes them.
  static let loaded = Result { try JSONSchemaValidator(directory: protocolDirectory.appendingPathComponent("schemas")) }

  static func validator() throws -> JSONSchemaValidator {
    try loaded.get()
  }

  static let schemaFiles: Set<String> = [
    "change.schema.json", "event.schema.json", "fund-entry.schema.json", "hearing-note.schema.json",
    "record-version.schema.json", "version-vector.schema.json",
  ]

  static func schema(for kind: RecordKind) -> String {
    switch kind {
    case .event: return "event.schema.json"
    case .fundEntry: return "fund-entry.schema.json"
    case .note: return "hearing-note.schema.json"
    }
  }

  // MARK: Values built with RenkeiCore

  static let saitama = WriterID(site: SiteID(rawValue: "saitama")!, epoch: 1)
  static let kanto = WriterID(site: SiteID(rawValue: "kanto-shinetsu")!, epoch: 1)
  static let restored = WriterID(site: SiteID(rawValue: "saitama")!, epoch: 2)

  static func canonical<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  /// A small history written the way a replica writes one: creates of all three kinds,
  /// updates, a delete, a correction, and a write after a restore (epoch 2).
  static func sampleChanges() throws -> [Change] {
    var clock = HybridClock()
    var wall: Int64 = 1_685_412_000_000
    func tick() -> HybridTimestamp {
      wall += 250
      return clock.tick(wallMilliseconds: wall)
    }
    var sequences: [WriterID: UInt64] = [:]
    var vectors: [RecordID: VersionVector] = [:]
    var changes: [Change] = []
    func write(_ writer: WriterID, _ kind: RecordKind, _ id: RecordID, _ scope: Scope, _ operation: ChangeOperation, _ fields: RecordFields) throws {
      sequences[writer, default: 0] += 1
      let vector = (vectors[id] ?? VersionVector()).incremented(for: writer)
      vectors[id] = vector
      let change = Change(
        origin: writer, sequence: sequences[writer]!, kind: kind, recordID: id, scope: scope, operation: operation,
        fields: fields, vector: vector, author: writer == kanto ? "関東信越厚生局 地域包括ケア推進課" : "埼玉県 高齢者福祉課", timestamp: tick())
      try change.checkShape()
      changes.append(change)
    }

    let seminar = try RecordID("ks-seminar-2023-07-06")
    let event = try Record(
      kind: .event, id: seminar,
      fields: [
        "scope": .string("11"), "kind": .string("seminar"), "title": .text("地域包括ケア応援セミナー"),
        "starts_on": .string("2023-07-06"), "ends_on": .string("2023-07-06"), "venue": .text("さいたま新都心合同庁舎1号館講堂"),
        "co_hosts": .set(["埼玉県", "関東信越厚生局"]), "notes": .text("1. 開会\n2. 講演\n3. 質疑\n"),
      ])
    try write(saitama, .event, seminar, event.scope, .create, event.fields)
    try write(kanto, .event, seminar, event.scope, .update, ["participants": .integer(40), "status": .string("held")])

    let council = RecordID.random()
    let bureauEvent = try Record(
      kind: .event, id: council,
      fields: ["scope": .string("kanto-shinetsu"), "kind": .string("council"), "title": .text("都県協議会"), "starts_on": .string("2020-10")])
    try write(kanto, .event, council, bureauEvent.scope, .create, bureauEvent.fields)
    try write(kanto, .event, council, bureauEvent.scope, .delete, [:])

    let deposit = try RecordID("fund-11-2023-deposit")
    let entry = try Record(
      kind: .fundEntry, id: deposit,
      fields: [
        "scope": .string("11"), "programme": .text("地域医療介護総合確保基金 介護従事者確保分"), "kind": .string("deposit"),
        "amount": .integer(3_000_000), "occurred_on": .string("2023-10-02"), "memo": .text("第2四半期積立"),
      ])
    try write(saitama, .fundEntry, deposit, entry.scope, .create, entry.fields)
    let correction = try Record(
      kind: .fundEntry, id: RecordID.random(),
      fields: [
        "scope": .string("11"), "programme": .text("地域医療介護総合確保基金 介護従事者確保分"), "kind": .string("correction"),
        "amount": .integer(-300_000), "fiscal_year": .integer(2023), "corrects": .string(deposit.rawValue),
      ])
    try write(saitama, .fundEntry, correction.id, correction.scope, .create, correction.fields)

    let hearing = try RecordID("note-11-2023-hearing")
    let note = try Record(
      kind: .note, id: hearing,
      fields: [
        "scope": .string("11"), "fiscal_year": .integer(2023), "topic": .text("認知症施策の進捗ヒアリング"),
        "attendees": .set(["埼玉県 高齢者福祉課", "関東信越厚生局"]), "body": .text("令和5年度の取組状況を聴取。\n"),
      ])
    try write(kanto, .note, hearing, note.scope, .create, note.fields)
    try write(kanto, .note, hearing, note.scope, .update, ["status": .string("final"), "follow_ups": .text("次回: 10月\n")])
    try write(restored, .event, seminar, event.scope, .update, ["notes": .text("1. 開会\n2. 講演\n3. 質疑\n4. 閉会\n")])
    // An administrator's resolution carries the whole record.
    var resolved = event.fields
    resolved["venue"] = .text("大宮ソニックシティ")
    try write(kanto, .event, seminar, event.scope, .resolve, resolved)
    return changes
  }

  /// A record version in the form the agent's `--json` shows: id, kind, scope, fields,
  /// vector, deleted and stamp, with the conflict and local-edit flag when known.
  static func recordJSON(_ version: RecordVersion, scope: Scope, conflict: ConflictSummary?, localEdits: Bool?) throws -> JSONValue {
    var members: [String: JSONValue] = [
      "id": .string(version.recordID.rawValue), "kind": .string(version.kind.rawValue), "scope": .string(scope.rawValue),
      "fields": try .encoding(version.state.fields), "vector": try .encoding(version.vector),
      "deleted": .bool(version.state.deleted), "stamp": try .encoding(version.stamp),
    ]
    if let conflict { members["conflict"] = try .encoding(conflict) }
    if let localEdits { members["local_edits"] = .bool(localEdits) }
    return .object(members)
  }

  // MARK: The schemas themselves

  @Test func theSchemasUseOnlyTheValidatedSubsetAndEveryReferenceResolves() throws {
    let validator = try Self.validator()
    #expect(Set(validator.documents.keys) == Self.schemaFiles)
    try validator.audit()
    for (name, document) in validator.documents {
      #expect(document["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"), "\(name)")
    }
    // Each record schema names exactly the fields of its kind (RecordKind.fieldClasses).
    for kind in RecordKind.allCases {
      guard case .object(let properties)? = validator.documents[Self.schema(for: kind)]?["$defs"]?["fields"]?["properties"] else {
        Issue.record("\(Self.schema(for: kind)) has no $defs/fields/properties")
        continue
      }
      #expect(properties.keys.sorted() == kind.fieldNames, "\(kind)")
    }
  }

  // MARK: (a) real values validate

  @Test func changesEncodedByRenkeiCoreValidate() throws {
    let validator = try Self.validator()
    let changes = try Self.sampleChanges()
    #expect(Set(changes.map(\.operation)) == Set(ChangeOperation.allCases))
    #expect(Set(changes.map(\.kind)) == Set(RecordKind.allCases))
    for change in changes {
      for json in [try JSONValue.encoding(change), try JSONValue.parse(try Self.canonical(change))] {
        let failures = try validator.validate(json, against: "change.schema.json")
        #expect(failures.isEmpty, "\(change.origin)#\(change.sequence): \(failures)")
      }
      #expect(try JSONDecoder().decode(Change.self, from: JSONEncoder().encode(change)) == change)
      #expect(try validator.isValid(try .encoding(change.vector), against: "version-vector.schema.json"))
    }
  }

  /// The byte form SYNC.md shows is the one `Change`'s Codable produces under canonical
  /// encoding (sorted keys, no escaped slashes), and it decodes back to the same change.
  @Test func aChangeEncodesExactlyAsSyncMdShows() throws {
    let change = Change(
      origin: Self.saitama, sequence: 2, kind: .event, recordID: try RecordID("ks-seminar-2023-07-06"), scope: try Scope("11"),
      operation: .update, fields: ["participants": .integer(40), "venue": .text("オンライン")],
      vector: VersionVector([Self.kanto: 1, Self.saitama: 2]), author: "埼玉県 高齢者福祉課",
      timestamp: HybridTimestamp(milliseconds: 1_685_412_000_500, counter: 1))
    let documented =
      #"{"author":"埼玉県 高齢者福祉課","epoch":1,"fields":{"participants":40,"venue":"オンライン"},"hlc":"1685412000500-1","kind":"event","op":"update","record":"ks-seminar-2023-07-06","scope":"11","sequence":2,"site":"saitama","vector":{"kanto-shinetsu.1":1,"saitama.1":2}}"#
    #expect(try Self.canonical(change) == documented)
    #expect(try JSONDecoder().decode(Change.self, from: Data(documented.utf8)) == change)
    #expect(try Self.validator().isValid(try .parse(documented), against: "change.schema.json"))
  }

  /// Every change shown in a ```json block of SYNC.md is valid and decodes as a change.
  @Test func theChangesShownInSyncMdAreValid() throws {
    let validator = try Self.validator()
    let text = try String(contentsOf: Self.protocolDirectory.appendingPathComponent("SYNC.md"), encoding: .utf8)
    let blocks = text.components(separatedBy: "```json\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    var changes = 0
    for block in blocks {
      let json = try JSONValue.parse(block)
      guard json["op"] != nil else { continue }
      changes += 1
      let failures = try validator.validate(json, against: "change.schema.json")
      #expect(failures.isEmpty, "\(block): \(failures)")
      let change = try JSONDecoder().decode(Change.self, from: Data(block.utf8))
      try change.checkShape()
      if change.operation == .create {
        let record = try Record(kind: change.kind, id: change.recordID, fields: change.fields)
        #expect(record.fields == change.fields, "a create carries the whole normalised record")
      }
    }
    #expect(changes >= 2)
  }

  @Test func recordsValidateAgainstTheSchemaOfTheirKind() throws {
    let validator = try Self.validator()
    for change in try Self.sampleChanges() where change.operation == .create {
      let record = try Record(kind: change.kind, id: change.recordID, fields: change.fields)
      let failures = try validator.validate(try .encoding(record.fields), against: Self.schema(for: record.kind))
      #expect(failures.isEmpty, "\(record.id): \(failures)")
      for other in RecordKind.allCases where other != record.kind {
        #expect(try !validator.isValid(try .encoding(record.fields), against: Self.schema(for: other)), "\(record.kind) as \(other)")
      }
    }
  }

  @Test func recordVersionsValidateIncludingMergesConflictsAndTombstones() throws {
    let validator = try Self.validator()
    let changes = try Self.sampleChanges()
    var histories: [RecordID: VersionHistory] = [:]
    var scopes: [RecordID: Scope] = [:]
    for change in changes {
      try histories[change.recordID, default: VersionHistory(kind: change.kind, recordID: change.recordID)].add(change)
      scopes[change.recordID] = change.scope
    }
    // A concurrent edit of the seminar's venue from Saitama, against the Kanto edit.
    let seminar = try RecordID("ks-seminar-2023-07-06")
    let concurrent = Change(
      origin: Self.saitama, sequence: 9, kind: .event, recordID: seminar, scope: try Scope("11"), operation: .update,
      fields: ["venue": .text("オンライン"), "status": .string("postponed")],
      vector: VersionVector([Self.saitama: 2]), author: "埼玉県 高齢者福祉課", timestamp: HybridTimestamp(milliseconds: 1_685_412_009_000))
    try histories[seminar]!.add(concurrent)

    var sawConflict = false
    var sawTombstone = false
    for (id, history) in histories.sorted(by: { $0.key < $1.key }) {
      let resolved = try #require(try history.current())
      var summary: ConflictSummary?
      if !resolved.conflicts.isEmpty {
        sawConflict = true
        summary = ConflictSummary(
          id: 1, conflicts: resolved.conflicts, sites: Array(Set(resolved.sides.map(\.stamp.writer.site))).sorted())
        #expect(try validator.isValid(try .encoding(summary!), against: "record-version.schema.json#/$defs/conflictSummary"))
      }
      sawTombstone = sawTombstone || resolved.state.deleted
      for localEdits in [nil, true, false] as [Bool?] {
        let json = try Self.recordJSON(resolved.version, scope: scopes[id]!, conflict: summary, localEdits: localEdits)
        let failures = try validator.validate(json, against: "record-version.schema.json")
        #expect(failures.isEmpty, "\(id): \(failures)")
      }
      // The Swift types' own encodings, as they appear in pull pages and conflict sides.
      let version = try JSONValue.encoding(resolved.version)
      #expect(try validator.validate(version, against: "record-version.schema.json#/$defs/version").isEmpty, "\(id)")
      let entry = FeedEntry(position: 7, scope: scopes[id]!, version: resolved.version, conflict: summary)
      let failures = try validator.validate(try .encoding(entry), against: "record-version.schema.json#/$defs/feedEntry")
      #expect(failures.isEmpty, "\(id): \(failures)")
      for side in resolved.sides {
        #expect(try validator.isValid(try .encoding(side), against: "record-version.schema.json#/$defs/version"))
      }
    }
    #expect(sawConflict && sawTombstone)
  }

  // MARK: (b) the shared vectors validate

  /// Every object in the vector files that has the shape of a change (`site`, `epoch`,
  /// `sequence`, `op`) is checked against change.schema.json; the vectors' version vectors,
  /// record fields, writers, clocks and conflicts against their schemas.
  @Test func everythingInTheVectorFilesValidates() throws {
    let validator = try Self.validator()
    let directory = Self.protocolDirectory.appendingPathComponent("vectors")
    var checked: [String: Int] = [:]
    func expectValid(_ value: JSONValue, _ reference: String, _ context: String) throws {
      let failures = try validator.validate(value, against: reference)
      #expect(failures.isEmpty, "\(context): \(failures)")
      checked[reference, default: 0] += 1
    }
    func changes(in value: JSONValue) -> [JSONValue] {
      switch value {
      case .object(let members):
        let own = ["site", "epoch", "sequence", "op"].allSatisfy { members[$0] != nil } ? [value] : []
        return own + members.keys.sorted().flatMap { changes(in: members[$0]!) }
      case .array(let values): return values.flatMap(changes(in:))
      default: return []
      }
    }

    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    #expect(!files.isEmpty)
    for file in files {
      let document = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
      for change in changes(in: document) { try expectValid(change, "change.schema.json", file) }
    }

    let vectors = try JSONDecoder().decode(
      JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent("version-vectors.json")))
    guard case .array(let vectorCases)? = vectors["cases"] else { Issue.record("version-vectors.json has no cases"); return }
    for vectorCase in vectorCases {
      for key in ["left", "right", "merged", "meet"] {
        try expectValid(try #require(vectorCase[key]), "version-vector.schema.json", "\(vectorCase["name"]!) \(key)")
      }
    }

    let merges = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: directory.appendingPathComponent("merge-cases.json")))
    guard case .array(let mergeCases)? = merges["cases"] else { Issue.record("merge-cases.json has no cases"); return }
    for mergeCase in mergeCases {
      let name = mergeCase["name"]!.description
      guard case .string(let rawKind)? = mergeCase["kind"], let kind = RecordKind(rawValue: rawKind) else {
        Issue.record("\(name): no kind")
        continue
      }
      let schema = Self.schema(for: kind)
      if let base = mergeCase["base"], base != .null { try expectValid(base, schema, "\(name) base") }
      guard case .array(let sides)? = mergeCase["sides"] else { continue }
      for side in sides {
        try expectValid(try #require(side["fields"]), schema, "\(name) side")
        try expectValid(try #require(side["vector"]), "version-vector.schema.json", "\(name) side vector")
        try expectValid(try #require(side["writer"]), "change.schema.json#/$defs/writerId", "\(name) side writer")
        try expectValid(try #require(side["hlc"]), "change.schema.json#/$defs/hlc", "\(name) side hlc")
      }
      try expectValid(try #require(mergeCase["expected"]?["fields"]), schema, "\(name) expected")
      if case .array(let conflicts)? = mergeCase["expected"]?["conflicts"] {
        for conflict in conflicts { try expectValid(conflict, "record-version.schema.json#/$defs/fieldConflict", name) }
      }
    }
    #expect(checked["version-vector.schema.json", default: 0] >= 36)
    #expect(checked["event.schema.json", default: 0] + checked["fund-entry.schema.json", default: 0] + checked["hearing-note.schema.json", default: 0] >= 70)
  }

  // MARK: (c) broken documents are rejected

  struct BrokenDocument: Sendable, CustomStringConvertible {
    var name: String
    var schema: String
    var json: String
    /// Whether RenkeiCore refuses the document too; nil where it does not judge this
    /// (see SYNC.md, "Schemas and the reference decoder").
    var renkeiRejects: Bool?
    var description: String { name }
  }

  static let validChange =
    #"{"author":"saitama","epoch":1,"fields":{"participants":40},"hlc":"1685412000500-1","kind":"event","op":"update","record":"ks-seminar-2023-07-06","scope":"11","sequence":2,"site":"saitama","vector":{"kanto-shinetsu.1":1,"saitama.1":2}}"#
  static let validEvent =
    #"{"scope":"11","kind":"seminar","title":"地域包括ケア応援セミナー","starts_on":"2023-07-06","co_hosts":["埼玉県"],"notes":"","participants":null}"#

  static func replacing(_ text: String, _ old: String, _ new: String) -> String {
    precondition(text.contains(old), "\(old) is not in the document")
    return text.replacingOccurrences(of: old, with: new)
  }

  static let brokenDocuments: [BrokenDocument] = [
    BrokenDocument(name: "change without hlc", schema: "change.schema.json", json: replacing(validChange, #","hlc":"1685412000500-1""#, ""), renkeiRejects: true),
    BrokenDocument(name: "change without site", schema: "change.schema.json", json: replacing(validChange, #","site":"saitama""#, ""), renkeiRejects: true),
    BrokenDocument(name: "change with an extra property", schema: "change.schema.json", json: replacing(validChange, #""author""#, #""comment":"x","author""#), renkeiRejects: true),
    BrokenDocument(name: "change with epoch 0", schema: "change.schema.json", json: replacing(validChange, #""epoch":1"#, #""epoch":0"#), renkeiRejects: true),
    BrokenDocument(name: "change with sequence 0", schema: "change.schema.json", json: replacing(validChange, #""sequence":2"#, #""sequence":0"#), renkeiRejects: true),
    BrokenDocument(name: "change with an unknown op", schema: "change.schema.json", json: replacing(validChange, #""op":"update""#, #""op":"upsert""#), renkeiRejects: true),
    BrokenDocument(name: "change with a site in capitals", schema: "change.schema.json", json: replacing(validChange, #""site":"saitama""#, #""site":"Saitama""#), renkeiRejects: true),
    BrokenDocument(name: "change with an hlc without counter", schema: "change.schema.json", json: replacing(validChange, #""1685412000500-1""#, #""1685412000500""#), renkeiRejects: true),
    BrokenDocument(name: "change with scope 48", schema: "change.schema.json", json: replacing(validChange, #""scope":"11""#, #""scope":"48""#), renkeiRejects: true),
    BrokenDocument(name: "change with an unknown field", schema: "change.schema.json", json: replacing(validChange, #""participants":40"#, #""colour":"red""#), renkeiRejects: true),
    BrokenDocument(name: "update that writes no field", schema: "change.schema.json", json: replacing(validChange, #"{"participants":40}"#, "{}"), renkeiRejects: true),
    BrokenDocument(name: "delete that writes fields", schema: "change.schema.json", json: replacing(validChange, #""op":"update""#, #""op":"delete""#), renkeiRejects: true),
    BrokenDocument(name: "change with a bad date in its fields", schema: "change.schema.json", json: replacing(validChange, #""participants":40"#, #""starts_on":"2023-7-6""#), renkeiRejects: nil),
    BrokenDocument(name: "change whose vector has a key without epoch", schema: "change.schema.json", json: replacing(validChange, #""kanto-shinetsu.1":1"#, #""kanto-shinetsu":1"#), renkeiRejects: true),
    BrokenDocument(name: "event without title", schema: "event.schema.json", json: replacing(validEvent, #","title":"地域包括ケア応援セミナー""#, ""), renkeiRejects: true),
    BrokenDocument(name: "event without scope", schema: "event.schema.json", json: replacing(validEvent, #""scope":"11","#, ""), renkeiRejects: true),
    BrokenDocument(name: "event with an extra property", schema: "event.schema.json", json: replacing(validEvent, #""kind""#, #""colour":"red","kind""#), renkeiRejects: true),
    BrokenDocument(name: "event with an unpadded date", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "2023-7-6"), renkeiRejects: true),
    BrokenDocument(name: "event with an unpadded month", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "2023-7"), renkeiRejects: true),
    BrokenDocument(name: "event with an unpadded day", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "2023-07-6"), renkeiRejects: true),
    BrokenDocument(name: "event with month 13", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "2023-13"), renkeiRejects: true),
    BrokenDocument(name: "event with a slashed date", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "2023/07/06"), renkeiRejects: true),
    BrokenDocument(name: "event dated in 1899", schema: "event.schema.json", json: replacing(validEvent, "2023-07-06", "1899-07-06"), renkeiRejects: true),
    BrokenDocument(name: "event of an unknown kind", schema: "event.schema.json", json: replacing(validEvent, #""seminar""#, #""party""#), renkeiRejects: true),
    BrokenDocument(name: "event with a negative head count", schema: "event.schema.json", json: replacing(validEvent, #""participants":null"#, #""participants":-1"#), renkeiRejects: true),
    BrokenDocument(name: "event with co_hosts as text", schema: "event.schema.json", json: replacing(validEvent, #"["埼玉県"]"#, #""埼玉県""#), renkeiRejects: true),
    BrokenDocument(name: "event with a bell in its title", schema: "event.schema.json", json: replacing(validEvent, "応援セミナー", #"応援\u0007セミナー"#), renkeiRejects: true),
    BrokenDocument(
      name: "fund entry with the amount as text", schema: "fund-entry.schema.json",
      json: #"{"scope":"11","programme":"介護従事者確保分","kind":"deposit","amount":"3000000","occurred_on":"2023-10-02"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "fund entry with a fractional amount", schema: "fund-entry.schema.json",
      json: #"{"scope":"11","programme":"介護従事者確保分","kind":"deposit","amount":1.5,"occurred_on":"2023-10-02"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "fund entry without amount", schema: "fund-entry.schema.json",
      json: #"{"scope":"11","programme":"介護従事者確保分","kind":"deposit","occurred_on":"2023-10-02"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "fund entry beyond a trillion yen", schema: "fund-entry.schema.json",
      json: #"{"scope":"11","programme":"介護従事者確保分","kind":"deposit","amount":1000000000001,"occurred_on":"2023-10-02"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "fund entry in an unknown bureau", schema: "fund-entry.schema.json",
      json: #"{"scope":"kanto","programme":"介護従事者確保分","kind":"deposit","amount":1,"occurred_on":"2023-10-02"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "hearing note with an unknown status", schema: "hearing-note.schema.json",
      json: #"{"scope":"11","topic":"ヒアリング","held_on":"2023-06-01","status":"done"}"#, renkeiRejects: true),
    BrokenDocument(
      name: "hearing note with a repeated attendee", schema: "hearing-note.schema.json",
      json: #"{"scope":"11","topic":"ヒアリング","held_on":"2023-06-01","attendees":["埼玉県","埼玉県"]}"#, renkeiRejects: nil),
    BrokenDocument(name: "vector with an epoch 0 key", schema: "version-vector.schema.json", json: #"{"saitama.0":1}"#, renkeiRejects: true),
    BrokenDocument(name: "vector with a negative counter", schema: "version-vector.schema.json", json: #"{"saitama.1":-1}"#, renkeiRejects: true),
    BrokenDocument(name: "vector as a list", schema: "version-vector.schema.json", json: #"[["saitama.1",1]]"#, renkeiRejects: true),
    BrokenDocument(
      name: "record version without deleted", schema: "record-version.schema.json",
      json: #"{"id":"x","kind":"note","scope":"11","fields":{"scope":"11","topic":"t","fiscal_year":2023},"vector":{"saitama.1":1},"stamp":{"writer":"saitama.1","author":"a","timestamp":"1-0"}}"#,
      renkeiRejects: nil),
    BrokenDocument(
      name: "record version whose fields are of another kind", schema: "record-version.schema.json",
      json: #"{"id":"x","kind":"event","scope":"11","fields":{"scope":"11","topic":"t","fiscal_year":2023},"vector":{"saitama.1":1},"deleted":false,"stamp":{"writer":"saitama.1","author":"a","timestamp":"1-0"}}"#,
      renkeiRejects: nil),
    BrokenDocument(
      name: "live record version without fields", schema: "record-version.schema.json",
      json: #"{"id":"x","kind":"event","scope":"11","fields":{},"vector":{"saitama.1":1},"deleted":false,"stamp":{"writer":"saitama.1","author":"a","timestamp":"1-0"}}"#,
      renkeiRejects: nil),
  ]

  /// A tombstone the hub compacted has no fields left, and is still a valid record version.
  @Test func aCompactedTombstoneIsAValidRecordVersion() throws {
    let json = #"{"id":"x","kind":"event","scope":"11","fields":{},"vector":{"saitama.1":2},"deleted":true,"stamp":{"writer":"saitama.1","author":"a","timestamp":"1-0"}}"#
    let document = try JSONValue.parse(json)
    #expect(try Self.validator().validate(document, against: "record-version.schema.json").isEmpty)
  }

  /// Whether RenkeiCore accepts `json` as what `schema` describes.
  static func renkeiAccepts(_ json: String, as schema: String) -> Bool {
    let data = Data(json.utf8)
    switch schema {
    case "change.schema.json":
      guard let change = try? JSONDecoder().decode(Change.self, from: data), (try? change.checkShape()) != nil else { return false }
      if change.operation == .create { return (try? Record(kind: change.kind, id: change.recordID, fields: change.fields)) != nil }
      return true
    case "version-vector.schema.json":
      return (try? JSONDecoder().decode(VersionVector.self, from: data)) != nil
    default:
      let kind: RecordKind = schema == "event.schema.json" ? .event : schema == "fund-entry.schema.json" ? .fundEntry : .note
      guard let fields = try? JSONDecoder().decode(RecordFields.self, from: data) else { return false }
      return (try? Record(kind: kind, id: RecordID("broken"), fields: fields)) != nil
    }
  }

  @Test func theUnbrokenOriginalsAreAccepted() throws {
    let validator = try Self.validator()
    #expect(try validator.validate(try .parse(Self.validChange), against: "change.schema.json") == [])
    #expect(try validator.validate(try .parse(Self.validEvent), against: "event.schema.json") == [])
    #expect(Self.renkeiAccepts(Self.validChange, as: "change.schema.json"))
    #expect(Self.renkeiAccepts(Self.validEvent, as: "event.schema.json"))
  }

  @Test(arguments: brokenDocuments)
  func aBrokenDocumentIsRejected(_ broken: BrokenDocument) throws {
    let failures = try Self.validator().validate(try .parse(broken.json), against: broken.schema)
    #expect(!failures.isEmpty, "the schema accepted \(broken.json)")
    if let renkeiRejects = broken.renkeiRejects {
      #expect(Self.renkeiAccepts(broken.json, as: broken.schema) == !renkeiRejects, "RenkeiCore disagrees with the schema")
    }
  }

  // MARK: The validator can fail

  @Test func theValidatorFollowsJSONSchemaWhereICUWouldNot() throws {
    let validator = try Self.validator()
    // ECMA-262 `$` is the very end: a date with a trailing line break is not a date.
    #expect(try !validator.isValid(.string("2023-07-06\n"), against: "change.schema.json#/$defs/date"))
    #expect(try validator.isValid(.string("2023-07-06"), against: "change.schema.json#/$defs/date"))
    #expect(try validator.isValid(.string("2020-10"), against: "change.schema.json#/$defs/date"))
    // 1.0 is an integer, 1.5 is not.
    #expect(try validator.isValid(.number(1), against: "change.schema.json#/$defs/epoch"))
    #expect(try !validator.isValid(.number(1.5), against: "change.schema.json#/$defs/epoch"))
    // oneOf means exactly one.
    let both = JSONSchemaValidator(documents: ["t.json": try .parse(#"{"oneOf":[{"type":"string"},{"pattern":"^a"}]}"#)])
    #expect(try !both.isValid(.string("abc"), against: "t.json"))
    #expect(try both.isValid(.string("xyz"), against: "t.json"))
    // Scopes: every JIS code and bureau, nothing else.
    for prefecture in Prefecture.all { #expect(try validator.isValid(.string(prefecture.code), against: "change.schema.json#/$defs/scope")) }
    for bureau in Bureau.all { #expect(try validator.isValid(.string(bureau.id), against: "change.schema.json#/$defs/scope")) }
    for wrong in ["00", "48", "1", "011", "Kinki", "kanto"] {
      #expect(try !validator.isValid(.string(wrong), against: "change.schema.json#/$defs/scope"), "\(wrong)")
      #expect((try? Scope(wrong)) == nil)
    }
  }

  @Test func aSchemaOutsideTheSubsetIsAnErrorNotAPass() throws {
    let unsupported = JSONSchemaValidator(documents: ["t.json": try .parse(#"{"anyOf":[{"type":"string"}]}"#)])
    #expect(throws: JSONSchemaValidator.SchemaError.self) { try unsupported.validate(.integer(1), against: "t.json") }
    #expect(throws: JSONSchemaValidator.SchemaError.self) { try unsupported.audit() }
    let dangling = JSONSchemaValidator(documents: ["t.json": try .parse(#"{"$ref":"other.json#/$defs/x"}"#)])
    #expect(throws: JSONSchemaValidator.SchemaError.self) { try dangling.validate(.integer(1), against: "t.json") }
    #expect(throws: JSONSchemaValidator.SchemaError.self) { try dangling.audit() }
  }
}
