import RenkeiCore

/// The merge workload's sites and the changes each pushes, generated round by round so
/// that only one round of changes is ever held in memory.
///
/// Fourteen prefecture sites (関東信越's ten and four of 東海北陸's) and the two bureau
/// sites write events. Every site creates its share of the records and edits its own;
/// a bureau may also write its prefectures' records, and that is where concurrent edits
/// come from: in each round after the first, each bureau edits records that one of its
/// prefectures is editing in the same round, from the version both had at the round's
/// start. Half of those edits write a field the prefecture also wrote (a
/// `different-values` conflict), half another field (a clean merge).
///
/// At the end of each round every site "pulls": its next edit of a record builds on the
/// hub's merged version (the entry-wise maximum of every vector pushed for it), which
/// the hub can name. So the changes are exactly what real replicas syncing once per
/// round would send, and Hub.push accepts them all.
struct MergeScenario {
  let sites: [BenchSite]
  let changesPerSite: Int
  let rounds: Int
  var batchSize: Int { changesPerSite / rounds }
  private(set) var recordCount = 0
  private(set) var concurrentEdits = 0
  private(set) var edits = 0

  private struct Track {
    let id: RecordID
    let scope: Scope
    let createdRound: Int
    /// The version every site has after the last round's pull.
    var startVector: VersionVector
    /// Each site's last version of this round, by site index.
    var written: [Int: VersionVector] = [:]
    /// The fields the record's prefecture wrote this round.
    var prefectureFields: Set<SyntheticEvent.EditableField> = []
  }

  private var generator: SplitMix64
  private var tracks: [Track] = []
  /// Per site: the records it created (track indexes).
  private var owned: [[Int]]
  private var sequences: [UInt64]
  private var remainingCreates: [Int]
  private var remainingConcurrent: [Int]
  private var remainingChanges: [Int]
  private var round = 0

  private static let prefectureFields: [SyntheticEvent.EditableField] = [.title, .venue, .participants, .status, .notes]
  /// Fields a bureau may write in conflict with a prefecture; `notes` is left out because
  /// two appends at the same place are always an `overlapping-text` conflict.
  private static let contestedFields: [SyntheticEvent.EditableField] = [.title, .venue, .participants, .status]

  /// - Parameters:
  ///   - records: how many records all sites create together.
  ///   - concurrentShare: the share of all edits that are concurrent edits of the same record.
  init(seed: UInt64, changesPerSite: Int, records: Int, concurrentShare: Double, rounds: Int = 20) {
    let sites =
      ["08", "09", "10", "11", "12", "13", "14", "15", "19", "20", "16", "17", "21", "22"].map(BenchSite.prefecture)
      + [BenchSite.bureau("kanto-shinetsu"), BenchSite.bureau("tokai-hokuriku")]
    self.sites = sites
    self.changesPerSite = changesPerSite
    self.rounds = rounds
    generator = SplitMix64.stream("merge", seed: seed)
    owned = Array(repeating: [], count: sites.count)
    sequences = Array(repeating: 0, count: sites.count)
    remainingChanges = Array(repeating: changesPerSite, count: sites.count)
    remainingCreates = sites.indices.map { records / sites.count + ($0 < records % sites.count ? 1 : 0) }
    let concurrent = Int((Double(changesPerSite * sites.count - records) * concurrentShare).rounded())
    let bureaus = sites.indices.filter { sites[$0].isBureau }
    remainingConcurrent = sites.indices.map { index in
      guard let position = bureaus.firstIndex(of: index) else { return 0 }
      return concurrent / bureaus.count + (position < concurrent % bureaus.count ? 1 : 0)
    }
  }

  var isFinished: Bool { round >= rounds }

  /// The next round's changes: one batch per site, in site order.
  mutating func nextRound() throws -> [[Change]] {
    var batches = Array(repeating: [Change](), count: sites.count)
    var touched: Set<Int> = []
    // Records a prefecture edits this round that already existed, by bureau.
    var contested: [String: [Int]] = [:]
    for site in sites.indices where !sites[site].isBureau {
      for _ in 0..<batchSize {
        let change = try nextChange(of: site, touched: &touched)
        batches[site].append(change.change)
        if let index = change.edited, tracks[index].createdRound < round {
          contested[tracks[index].scope.bureau.id, default: []].append(index)
        }
      }
    }
    for site in sites.indices where sites[site].isBureau {
      // Spread what is left evenly over this and the remaining rounds; none in the first,
      // when no record existed at the round's start.
      let roundsLeft = rounds - round
      var quota = round == 0 ? 0 : (remainingConcurrent[site] + roundsLeft - 1) / roundsLeft
      let candidates = contested[sites[site].scope.bureau.id] ?? []
      for _ in 0..<batchSize {
        if quota > 0, !candidates.isEmpty {
          quota -= 1
          remainingConcurrent[site] -= 1
          batches[site].append(concurrentEdit(by: site, of: candidates[generator.below(candidates.count)], touched: &touched))
        } else {
          batches[site].append(try nextChange(of: site, touched: &touched).change)
        }
      }
    }
    // Every site pulls: the next round builds on the merge of everything pushed.
    for index in touched {
      tracks[index].startVector = tracks[index].written.values.reduce(tracks[index].startVector) { $0.merged(with: $1) }
      tracks[index].written = [:]
      tracks[index].prefectureFields = []
    }
    round += 1
    return batches
  }

  /// A site's own next change: a create of a record in its scope, or an edit of one of its records.
  private mutating func nextChange(of site: Int, touched: inout Set<Int>) throws -> (change: Change, edited: Int?) {
    let regularLeft = remainingChanges[site] - remainingConcurrent[site]
    remainingChanges[site] -= 1
    if owned[site].isEmpty || (remainingCreates[site] > 0 && generator.below(max(regularLeft, 1)) < remainingCreates[site]) {
      remainingCreates[site] -= 1
      let id = generator.recordID()
      let fields = SyntheticEvent.create(scope: sites[site].scope, serial: tracks.count, using: &generator)
      if tracks.count < 16 { try SyntheticEvent.checkNormal(fields, id: id) }
      let vector = VersionVector([sites[site].writer: 1])
      let recordID = try RecordID(id)
      tracks.append(Track(id: recordID, scope: sites[site].scope, createdRound: round, startVector: VersionVector()))
      let index = tracks.count - 1
      tracks[index].written[site] = vector
      touched.insert(index)
      owned[site].append(index)
      recordCount += 1
      return (change(site, recordID, sites[site].scope, .create, fields, vector), nil)
    }
    let index = owned[site][generator.below(owned[site].count)]
    var fields: RecordFields = [:]
    let choices = sites[site].isBureau ? Self.prefectureFields + [.audience] : Self.prefectureFields
    for _ in 0..<(generator.chance(1, in: 4) ? 2 : 1) {
      let field = generator.pick(choices)
      fields.merge(SyntheticEvent.edit(field, serial: edits, using: &generator)) { _, new in new }
      if !sites[site].isBureau { tracks[index].prefectureFields.insert(field) }
    }
    return (edit(index, by: site, fields: fields, touched: &touched), index)
  }

  private mutating func concurrentEdit(by site: Int, of index: Int, touched: inout Set<Int>) -> Change {
    remainingChanges[site] -= 1
    concurrentEdits += 1
    let contested = Self.contestedFields.filter { tracks[index].prefectureFields.contains($0) }
    let field = generator.chance(1, in: 2) && !contested.isEmpty ? generator.pick(contested) : .audience
    return edit(index, by: site, fields: SyntheticEvent.edit(field, serial: edits, using: &generator), touched: &touched)
  }

  private mutating func edit(_ index: Int, by site: Int, fields: RecordFields, touched: inout Set<Int>) -> Change {
    edits += 1
    let parent = tracks[index].written[site] ?? tracks[index].startVector
    let vector = parent.incremented(for: sites[site].writer)
    tracks[index].written[site] = vector
    touched.insert(index)
    return change(site, tracks[index].id, tracks[index].scope, .update, fields, vector)
  }

  private mutating func change(
    _ site: Int, _ id: RecordID, _ scope: Scope, _ operation: ChangeOperation, _ fields: RecordFields, _ vector: VersionVector
  ) -> Change {
    sequences[site] += 1
    // Each site's clock runs on its own: an hour per round, a second per change.
    let milliseconds = 1_685_412_000_000 + Int64(round) * 3_600_000 + Int64((sequences[site] - 1) % UInt64(batchSize)) * 1000 + Int64(site)
    return Change(
      origin: sites[site].writer, sequence: sequences[site], kind: .event, recordID: id, scope: scope, operation: operation,
      fields: fields, vector: vector, author: sites[site].author, timestamp: HybridTimestamp(milliseconds: milliseconds))
  }
}
