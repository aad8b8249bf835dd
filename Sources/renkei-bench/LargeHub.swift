import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore

/// A hub with a long history of changes from 関東信越厚生局's ten prefectures and the
/// bureau, every record readable by one bureau replica.
///
/// The history is written straight into the hub's tables: for each create, exactly the
/// `changes`, `versions`, `records`, `writers` and `hub_meta` rows `Hub.push` would store,
/// and the `feed` rows the schema's triggers add (``verify(in:seed:)`` checks this against
/// `Hub.push` itself on every run). Pushing a
/// million changes through `Hub.push` would take far longer than the whole benchmark may;
/// what the workloads measure on top of the history (pushes, pulls) goes through the
/// product as usual.
///
/// Record `i` belongs to site `i % 11` and is derived from the seed and `i` alone, so the
/// history is never held in memory.
final class LargeHub {
  static let sites = BenchSite.kantoShinetsu
  static let transactionSize = 20_000
  /// When the history was stored, in seconds since 1970: one fixed time, so the direct fill
  /// and `Hub.push` (its clock set to it) write the same rows.
  static let storedAt: Int64 = 1_700_000_000

  let directory: String
  let seed: UInt64
  private(set) var hub: Hub?
  /// Records `0..<records` exist.
  private(set) var records = 0
  /// Changes stored: creates written directly plus every change pushed.
  private(set) var history = 0
  private(set) var fillTime = Measurement()
  private var sequences: [UInt64]
  /// The vector counter of each record edited since it was created (1 otherwise).
  private var edits: [Int: UInt64] = [:]

  /// The seeds record `i`'s id and fields are drawn from, mixed with `i`.
  private let idSeed: UInt64
  private let recordSeed: UInt64

  init(directory: String, seed: UInt64) throws {
    var ids = SplitMix64.stream("large-hub-id", seed: seed)
    var fields = SplitMix64.stream("large-hub-record", seed: seed)
    idSeed = ids.next()
    recordSeed = fields.next()
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    self.directory = directory
    self.seed = seed
    hub = try Hub(path: HubServer.databasePath(in: directory))
    sequences = Array(repeating: 0, count: Self.sites.count)
  }

  var databasePath: String { HubServer.databasePath(in: directory) }

  /// Closes the in-process hub, so a child process can serve the directory.
  func close() {
    hub?.database.close()
    hub = nil
  }

  func openHub() throws -> Hub {
    guard let hub else { throw BenchmarkError("the large hub was closed") }
    return hub
  }

  // MARK: Records

  func recordID(_ index: Int) -> RecordID {
    var generator = SplitMix64(seed: idSeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    return try! RecordID(generator.recordID())
  }

  private func create(_ index: Int, sequence: UInt64) -> Change {
    let site = Self.sites[index % Self.sites.count]
    var generator = SplitMix64(seed: recordSeed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    return Change(
      origin: site.writer, sequence: sequence, kind: .event, recordID: recordID(index), scope: site.scope, operation: .create,
      fields: SyntheticEvent.create(scope: site.scope, serial: index, using: &generator), vector: VersionVector([site.writer: 1]),
      author: site.author, timestamp: HybridTimestamp(milliseconds: 1_500_000_000_000 + Int64(index)))
  }

  private func nextSequence(_ site: Int) -> UInt64 {
    sequences[site] += 1
    return sequences[site]
  }

  // MARK: Filling

  /// Writes creates of new records until the history holds `target` changes.
  func fill(to target: Int) throws {
    try fill(creates: max(0, target - history))
  }

  /// Writes creates of new records until there are `target` records.
  func fill(records target: Int) throws {
    try fill(creates: max(0, target - records))
  }

  /// Writes `count` creates of new records. The fill runs without a journal, which SQLite
  /// lets only a file's one connection switch to: the hub (and its checkpoint connection) is
  /// closed meanwhile, then opened again with the product's settings before anything is
  /// measured.
  private func fill(creates count: Int) throws {
    close()
    try writeDirectly(creates: count)
    hub = try Hub(path: databasePath)
  }

  private func writeDirectly(creates count: Int) throws {
    var options = Hub.databaseOptions
    options.checkpointsInBackground = false
    let database = try Database(path: databasePath, options: options)
    // While filling only: a large page cache (the random record ids would otherwise make
    // every insert read index pages back), no journal and no fsync (the rows are generated,
    // a failed fill fails the run).
    try database.execute("PRAGMA cache_size = -1048576")
    guard try database.prepare("PRAGMA journal_mode = OFF").firstRow()?.string(0) == "off" else {
      throw BenchmarkError("the large hub's journal could not be switched off for the fill")
    }
    try database.execute("PRAGMA synchronous = OFF")
    defer {
      _ = try? database.prepare("PRAGMA journal_mode = WAL").firstRow()
      database.close()
      // Flush what the fill left unsynced now, or the first measured checkpoint would.
      let start = Measurement.Instant.now
      if let file = FileHandle(forUpdatingAtPath: databasePath) {
        try? file.synchronize()
        try? file.close()
      }
      fillTime += start.elapsed
    }
    let target = history + count
    let feedText = try database.cachedStatement("SELECT value FROM hub_meta WHERE key = 'feed_position'").firstRow().map {
      try $0.string(0)
    }
    var position = feedText.flatMap { Int64($0) } ?? 0
    let insertChange = try database.prepare("INSERT INTO changes(site, epoch, sequence, record_id, body) VALUES (?, ?, ?, ?, ?)")
    let insertVersion = try database.prepare(
      "INSERT INTO versions(record_id, vector, state, deleted, stamp) VALUES (?, ?, ?, 0, ?)")
    let insertRecord = try database.prepare(
      """
      INSERT INTO records(
        id, kind, scope, fiscal_year, state, deleted, vector, stamp, feed_position, created_by, stored_at, frontier, last_version)
      VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
      """)
    while history < target {
      let count = min(target - history, Self.transactionSize)
      try Measurement.adding(to: &fillTime) {
        try database.inTransaction {
          for _ in 0..<count {
            let index = records
            let site = index % Self.sites.count
            let change = create(index, sequence: nextSequence(site))
            let fields = try CanonicalJSON.encode(change.fields)
            let vector = try CanonicalJSON.encode(change.vector)
            let stamp = try CanonicalJSON.encode(change.stamp)
            let body = try CanonicalJSON.encode(change)
            position += 1
            let id = DatabaseValue.text(change.recordID.rawValue)
            try insertChange.execute([
              .text(change.origin.site.rawValue), .integer(Int64(change.origin.epoch)), .integer(Int64(change.sequence)), id, .text(body),
            ])
            try insertVersion.execute([id, .text(vector), .text(fields), .text(stamp)])
            let version = database.lastInsertRowID
            var fiscalYear = DatabaseValue.null
            if case .integer(let year)? = change.fields["fiscal_year"] { fiscalYear = .integer(year) }
            try insertRecord.execute([
              id, .text(change.kind.rawValue), .text(change.scope.rawValue), fiscalYear, .text(fields), .text(vector), .text(stamp),
              .integer(position), .text(change.origin.site.rawValue), .integer(Self.storedAt), .text("[\(vector)]"),
              .integer(version),
            ])
            records += 1
            history += 1
          }
          for (site, sequence) in zip(Self.sites, sequences) where sequence > 0 {
            try database.cachedStatement(
              "INSERT INTO writers(site, epoch, last_sequence) VALUES (?, 1, ?) ON CONFLICT(site, epoch) DO UPDATE SET last_sequence = excluded.last_sequence"
            ).execute([.text(site.id.rawValue), .integer(Int64(sequence))])
          }
          try database.cachedStatement(
            "INSERT INTO hub_meta(key, value) VALUES ('feed_position', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
          ).execute([.text(String(position))])
        }
      }
    }
  }

  // MARK: Pushing through the product

  /// `count` new changes, as each site would push them: a third creates of new records,
  /// the rest edits of records picked at random from the whole history. Grouped by site,
  /// in sequence order.
  func changes(count: Int, using generator: inout SplitMix64) -> [[Change]] {
    var bySite = Array(repeating: [Change](), count: Self.sites.count)
    for serial in 0..<count {
      if generator.chance(1, in: 3) {
        let index = records
        records += 1
        let site = index % Self.sites.count
        bySite[site].append(create(index, sequence: nextSequence(site)))
      } else {
        let index = generator.below(records)
        let site = index % Self.sites.count
        let counter = (edits[index] ?? 1) + 1
        edits[index] = counter
        let field = generator.pick(SyntheticEvent.EditableField.allCases)
        bySite[site].append(
          Change(
            origin: Self.sites[site].writer, sequence: nextSequence(site), kind: .event, recordID: recordID(index),
            scope: Self.sites[site].scope, operation: .update, fields: SyntheticEvent.edit(field, serial: serial, using: &generator),
            vector: VersionVector([Self.sites[site].writer: counter]), author: Self.sites[site].author,
            timestamp: HybridTimestamp(milliseconds: 1_600_000_000_000 + Int64(history + serial))))
      }
    }
    return bySite
  }

  /// Each site's changes as the pushes that carry them, 500 at most each, in order.
  static func pushes(_ bySite: [[Change]]) -> [(site: BenchSite, changes: [Change])] {
    zip(sites, bySite).flatMap { site, changes in
      stride(from: 0, to: changes.count, by: 500).map { (site, Array(changes[$0..<min($0 + 500, changes.count)])) }
    }
  }

  /// Pushes each site's changes with `Hub.push`, 500 at a time; returns the time the
  /// pushes took.
  func push(_ bySite: [[Change]]) throws -> Measurement {
    try Self.pushes(bySite).reduce(Measurement()) { $0 + (try push($1.changes, from: $1.site)) }
  }

  /// One push with `Hub.push`; returns the time it took.
  func push(_ changes: [Change], from site: BenchSite) throws -> Measurement {
    let hub = try openHub()
    var time = Measurement()
    let result = try Measurement.adding(to: &time) { try hub.push(changes, from: site.id, scope: site.scope) }
    guard result.applied == changes.count else { throw BenchmarkError("the hub applied \(result.applied) of \(changes.count) changes") }
    history += changes.count
    return time
  }

  // MARK: Checking the fill

  /// Fills one hub directly and pushes the same creates through `Hub.push` into another,
  /// one at a time in the same order, and requires every row of every table they write to
  /// be identical.
  static func verify(in directory: String, seed: UInt64) throws {
    let direct = try LargeHub(directory: directory + "/direct", seed: seed)
    let pushed = try LargeHub(directory: directory + "/pushed", seed: seed)
    defer {
      direct.close()
      pushed.close()
    }
    let count = 3 * sites.count
    try direct.fill(to: count)
    let hub = try pushed.openHub()
    hub.now = { Date(timeIntervalSince1970: TimeInterval(storedAt)) }
    for index in 0..<count {
      let site = index % sites.count
      let change = pushed.create(index, sequence: pushed.nextSequence(site))
      try hub.push([change], from: sites[site].id, scope: sites[site].scope)
    }
    for query in [
      "SELECT * FROM changes ORDER BY site, epoch, sequence", "SELECT * FROM versions ORDER BY record_id, vector",
      "SELECT * FROM records ORDER BY id", "SELECT * FROM feed ORDER BY scope, position", "SELECT * FROM writers ORDER BY site, epoch", "SELECT * FROM hub_meta ORDER BY key",
      "SELECT count(*) FROM conflicts",
    ] {
      let expected = try hub.database.prepare(query).rows()
      let found = try direct.openHub().database.prepare(query).rows()
      guard expected.map(\.values) == found.map(\.values), expected.map(\.columnNames) == found.map(\.columnNames) else {
        let difference = zip(expected, found).first { $0.0.values != $0.1.values }
        throw BenchmarkError(
          "the direct fill does not write what Hub.push writes (\(query)): \(difference.map { "\($0.0.values) ≠ \($0.1.values)" } ?? "\(expected.count) rows ≠ \(found.count)")"
        )
      }
    }
  }
}
