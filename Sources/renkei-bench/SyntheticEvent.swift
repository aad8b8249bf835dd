import RenkeiCore

/// Events and event edits like those the bureaus keep, drawn from a generator.
///
/// Every value is already in normal form (NFC, trimmed, sets sorted, fiscal year derived),
/// because the hub accepts only what is: a create carries the whole validated record.
enum SyntheticEvent {
  /// The fields an edit may write. They are independent of each other, so any mix of
  /// edits, merged in any order, still makes a valid event.
  enum EditableField: String, CaseIterable, Sendable {
    case title, venue, participants, audience, status, notes
  }

  static let titles = [
    "地域包括ケア推進会議", "在宅医療・介護連携推進研修会", "認知症施策推進連絡会", "地域医療構想調整会議", "介護人材確保対策協議会",
    "地域ケア会議 事例検討会", "医療介護総合確保基金 説明会", "生活支援体制整備 意見交換会", "介護予防・日常生活支援総合事業 担当者会議",
    "地域包括支援センター職員研修",
  ]
  static let venues = [
    "さいたま新都心合同庁舎1号館講堂", "県庁第二庁舎 大会議室", "市民会館 第3会議室", "保健所 会議室", "総合福祉センター 多目的ホール",
    "オンライン（Web会議）", "県民活動総合センター 研修室", "医師会館 講堂",
  ]
  static let coHosts = ["県医師会", "県看護協会", "県介護支援専門員協会", "市町村", "社会福祉協議会", "地域包括支援センター", "大学"]
  static let audiences = ["市町村職員", "地域包括支援センター職員", "介護支援専門員", "医療・介護関係者", "一般"]
  static let noteLines = [
    "1. 開会", "2. 趣旨説明", "3. 事例報告（在宅療養支援）", "4. グループ討議", "5. 質疑応答", "6. 閉会", "資料は事前に配布済み。",
    "次回は第3四半期に開催予定。", "出席者名簿は別添のとおり。",
  ]

  /// The whole record an event create carries: every field of an event, absent ones null.
  static func create(scope: Scope, serial: Int, using generator: inout SplitMix64) -> RecordFields {
    let year = 2019 + generator.below(7)
    let month = 1 + generator.below(12)
    let day = 1 + generator.below(27)
    let startsOn = iso(year, month, day)
    let endsOn: FieldValue = generator.chance(1, in: 5) ? .string(iso(year, month, day + 1)) : .null
    let hosts = (0..<generator.below(3)).map { _ in generator.pick(coHosts) }
    return [
      "scope": .string(scope.rawValue),
      "fiscal_year": .integer(Int64(month >= 4 ? year : year - 1)),
      "kind": .string(generator.pick(EventKind.allCases).rawValue),
      "title": .string("第\(serial % 97 + 1)回 \(generator.pick(titles))"),
      "starts_on": .string(startsOn),
      "ends_on": endsOn,
      "venue": .string(generator.pick(venues)),
      "co_hosts": .strings(Array(Set(hosts)).sorted()),
      "audience": generator.chance(1, in: 2) ? .string(generator.pick(audiences)) : .null,
      "participants": generator.chance(1, in: 2) ? .integer(Int64(10 + generator.below(290))) : .null,
      "status": .string(EventStatus.planned.rawValue),
      "notes": .string(notes(lines: 2 + generator.below(4), using: &generator)),
      "source": .null,
    ]
  }

  /// What one edit of `field` writes, as `renkei event edit` would send it.
  static func edit(_ field: EditableField, serial: Int, using generator: inout SplitMix64) -> RecordFields {
    switch field {
    case .title: return ["title": .string("第\(serial % 97 + 1)回 \(generator.pick(titles))（\(serial)）")]
    case .venue: return ["venue": .string("\(generator.pick(venues)) （\(serial)）")]
    case .participants: return ["participants": .integer(Int64(10 + serial % 990))]
    case .audience: return ["audience": .string("\(generator.pick(audiences))（\(serial)）")]
    case .status: return ["status": .string(generator.pick(EventStatus.allCases).rawValue)]
    case .notes: return ["notes": .string(notes(lines: 3 + generator.below(3), using: &generator) + "追記 \(serial)\n")]
    }
  }

  /// Checks that `fields` are the normal form of an event: the generator's promise.
  static func checkNormal(_ fields: RecordFields, id: String) throws {
    let normal = try Record(kind: .event, id: try RecordID(id), fields: fields).fields
    guard normal == fields else {
      throw BenchmarkError("the synthetic event \(id) is not in normal form: \(fields) normalises to \(normal)")
    }
  }

  private static func notes(lines: Int, using generator: inout SplitMix64) -> String {
    (0..<lines).map { _ in generator.pick(noteLines) + "\n" }.joined()
  }

  private static func iso(_ year: Int, _ month: Int, _ day: Int) -> String {
    "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
  }
}
