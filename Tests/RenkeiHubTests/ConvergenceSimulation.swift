import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import RenkeiTestSupport

/// One seeded history: replicas editing offline and syncing with a hub in random orders,
/// with duplicated pushes and replayed pull pages.
struct ConvergenceSimulation {
  let seed: UInt64
  var random: SplitMix64
  let hub: Hub
  var replicas: [Replica] = []
  /// Every push batch sent, so one can be delivered again later.
  var sentBatches: [(site: SiteID, scope: Scope, changes: [Change])] = []
  var clockOffset: Int64 = 0

  static let programmes = ["地域医療介護総合確保基金 介護施設等整備分", "介護従事者確保分", "地域支援事業交付金"]
  static let words = ["認知症", "介護人材", "在宅医療", "移動支援", "フレイル予防", "居住支援", "seminar", "follow-up"]

  init(seed: UInt64) throws {
    self.seed = seed
    random = SplitMix64(seed: seed)
    hub = try Hub(path: ":memory:")
    let count = Int.random(in: 3...8, using: &random)
    let prefectureCodes = ["11", "19"]
    for index in 0..<count {
      let scope = index == 0 ? try Scope("kanto-shinetsu") : try Scope(prefectureCodes[index % 2])
      let site = SiteID(rawValue: "site\(index)")!
      let base: Int64 = 1_700_000_000_000 + Int64(index) * 7
      let replica = try Replica.create(at: ":memory:", site: site, scope: scope, author: "staff\(index)") { base }
      replicas.append(replica)
    }
    // The clocks of the replicas only tick when the simulation says so.
    for (index, replica) in replicas.enumerated() {
      let offset = Int64(index)
      let clockBox = ClockBox()
      replica.wallClock = { clockBox.tick() + offset }
    }
  }

  mutating func run(steps: Int) throws {
    for _ in 0..<steps {
      let index = Int.random(in: 0..<replicas.count, using: &random)
      switch Int.random(in: 0..<100, using: &random) {
      case 0..<12: try createEvent(on: index)
      case 12..<20: try createNote(on: index)
      case 20..<30: try createFundEntry(on: index)
      case 30..<62: try editSomething(on: index)
      case 62..<67: try deleteSomething(on: index)
      case 67..<70: try replayOldPush()
      default: try sync(index)
      }
    }
    // Everyone syncs until nothing moves: push all, then pull all, twice.
    for _ in 0..<2 {
      for index in replicas.indices { try sync(index) }
    }
  }

  // MARK: Edits

  mutating func createEvent(on index: Int) throws {
    let replica = replicas[index]
    let month = Int.random(in: 4...12, using: &random)
    try replica.create(
      .event, id: newRecordID(),
      fields: [
        "scope": .string(writableScope(of: replica).rawValue), "kind": .string(EventKind.allCases.randomElement(using: &random)!.rawValue),
        "title": .text("\(pick(Self.words))セミナー"), "starts_on": .string("2023-\(month < 10 ? "0" : "")\(month)-1\(Int.random(in: 0...9, using: &random))"),
        "venue": .text("会場\(Int.random(in: 1...3, using: &random))"), "co_hosts": .set([pick(["埼玉県", "山梨県", "厚生局"])]),
        "notes": .text("1. \(pick(Self.words))\n2. \(pick(Self.words))\n3. \(pick(Self.words))\n"),
      ])
  }

  mutating func createNote(on index: Int) throws {
    let replica = replicas[index]
    try replica.create(
      .note, id: newRecordID(),
      fields: [
        "scope": .string(writableScope(of: replica).rawValue), "topic": .text("\(pick(Self.words))ヒアリング"), "held_on": .string("2023-06"),
        "attendees": .set(["担当A", "担当B"]), "body": .text("概要\n\(pick(Self.words))\n課題\n\(pick(Self.words))\n"),
        "follow_ups": .text(""),
      ])
  }

  mutating func createFundEntry(on index: Int) throws {
    let replica = replicas[index]
    let scope = writableScope(of: replica)
    let existing = try replica.records(kind: .fundEntry).filter { replica.scope.canWrite($0.scope) }
    var fields: RecordFields = [
      "scope": .string(scope.rawValue), "programme": .text(pick(Self.programmes)), "fiscal_year": .integer(2023),
      "occurred_on": .string("2023-0\(Int.random(in: 4...9, using: &random))-01"),
      // A small set of amounts so that look-alike entries from two offices happen.
      "amount": .integer(Int64(Int.random(in: 1...4, using: &random)) * 1_000_000),
      "kind": .string(pick(["initial-decision", "deposit", "execution", "interest"])),
    ]
    if let corrected = existing.randomElement(using: &random), Bool.random(using: &random) {
      fields["kind"] = .string("correction")
      fields["corrects"] = .string(corrected.id.rawValue)
      fields["scope"] = .string(corrected.scope.rawValue)
      fields["amount"] = .integer(-Int64(Int.random(in: 1...9, using: &random)) * 10_000)
    }
    try replica.create(.fundEntry, id: newRecordID(), fields: fields)
  }

  mutating func editSomething(on index: Int) throws {
    let replica = replicas[index]
    let candidates = try replica.records().filter { replica.scope.canWrite($0.scope) }
    guard let target = candidates.randomElement(using: &random), let record = target.record else { return }
    var fields: RecordFields = [:]
    switch record {
    case .event(let event):
      switch Int.random(in: 0..<6, using: &random) {
      case 0: fields["title"] = .text("\(pick(Self.words))の推進")
      case 1: fields["venue"] = .text("会場\(Int.random(in: 1...5, using: &random))")
      case 2: fields["co_hosts"] = .set(mutateSet(event.coHosts, pool: ["埼玉県", "山梨県", "厚生局", "社協"]))
      case 3: fields["participants"] = .integer(Int64(Int.random(in: 10...60, using: &random)))
      case 4: fields["notes"] = .text(mutateText(event.notes))
      default: fields["status"] = .string(pick(["held", "postponed", "planned"]))
      }
    case .note(let note):
      switch Int.random(in: 0..<4, using: &random) {
      case 0: fields["body"] = .text(mutateText(note.body))
      case 1: fields["follow_ups"] = .text(mutateText(note.followUps))
      case 2: fields["attendees"] = .set(mutateSet(note.attendees, pool: ["担当A", "担当B", "担当C", "課長"]))
      default: fields["topic"] = .text("\(pick(Self.words))ヒアリング")
      }
    case .fundEntry:
      fields["memo"] = .text("確認済み\(Int.random(in: 1...3, using: &random))")
    }
    do { try replica.update(record.id, fields: fields) } catch let error as ReplicaError where error.code == .nothingChanged {}
  }

  mutating func deleteSomething(on index: Int) throws {
    let replica = replicas[index]
    let candidates = try replica.records().filter { replica.scope.canWrite($0.scope) && $0.kind != .fundEntry }
    guard let target = candidates.randomElement(using: &random) else { return }
    try replica.delete(target.id)
  }

  // MARK: Sync

  mutating func sync(_ index: Int) throws {
    let replica = replicas[index]
    let pending = try replica.pendingChanges(limit: Int.random(in: 1...50, using: &random))
    if !pending.isEmpty {
      let result = try hub.push(pending, from: replica.site, scope: replica.scope)
      sentBatches.append((replica.site, replica.scope, pending))
      if Int.random(in: 0..<4, using: &random) == 0 {
        // The same push delivered twice: the second must change nothing.
        let again = try hub.push(pending, from: replica.site, scope: replica.scope)
        precondition(again.applied == 0, "a repeated push applied \(again.applied) changes (seed \(seed))")
      }
      try replica.acknowledge(through: result.acknowledgedSequence)
      if try !replica.pendingChanges(limit: 1).isEmpty { try sync(index) }
    }
    var cursor = try replica.pullCursor
    var pages: [PullPage] = []
    repeat {
      let page = try hub.pull(for: replica.scope, after: cursor, limit: Int.random(in: 1...20, using: &random))
      try replica.apply(page.entries, cursor: page.cursor)
      pages.append(page)
      cursor = page.cursor
      if page.hasMore == false { break }
    } while true
    if let old = pages.randomElement(using: &random), Bool.random(using: &random) {
      // A page fetched again after newer ones: older versions must be ignored.
      try replica.apply(old.entries, cursor: old.cursor)
    }
  }

  mutating func replayOldPush() throws {
    guard let batch = sentBatches.randomElement(using: &random) else { return }
    let result = try hub.push(batch.changes, from: batch.site, scope: batch.scope)
    precondition(result.applied == 0, "an old push applied \(result.applied) changes again (seed \(seed))")
  }

  // MARK: Random pieces

  /// A UUID drawn from the seeded generator: record ids decide the order records are
  /// listed in, so random ones would make a seed replay a different history.
  mutating func newRecordID() -> RecordID {
    let high = random.next()
    let low = random.next()
    let hex = String(format: "%016llx%016llx", high, low)
    let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
    return try! RecordID(parts.joined(separator: "-"))
  }

  mutating func pick(_ values: [String]) -> String { values.randomElement(using: &random)! }

  mutating func writableScope(of replica: Replica) -> Scope {
    if case .bureau(let bureau) = replica.scope, Bool.random(using: &random) {
      let code = pick(["11", "19"])
      return .prefecture(bureau.prefectures.first { $0.code == code }!)
    }
    return replica.scope
  }

  mutating func mutateSet(_ values: [String], pool: [String]) -> [String] {
    var set = Set(values)
    let element = pick(pool)
    if set.contains(element), set.count > 1 { set.remove(element) } else { set.insert(element) }
    return Array(set)
  }

  mutating func mutateText(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    switch Int.random(in: 0..<3, using: &random) {
    case 0 where !lines.isEmpty:
      let at = Int.random(in: 0..<lines.count, using: &random)
      lines[at] = "\(lines[at])・\(pick(Self.words))"
    case 1 where !lines.isEmpty:
      lines.remove(at: Int.random(in: 0..<lines.count, using: &random))
    default:
      lines.insert("追記: \(pick(Self.words))", at: Int.random(in: 0...lines.count, using: &random))
    }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }
}

/// A wall clock that moves one millisecond per reading, so runs do not depend on real time.
final class ClockBox: @unchecked Sendable {
  // Only the simulation's single thread reads it; unchecked because a test-only counter
  // needs no lock.
  private var value: Int64 = 1_700_000_000_000
  func tick() -> Int64 {
    value += 1
    return value
  }
}
