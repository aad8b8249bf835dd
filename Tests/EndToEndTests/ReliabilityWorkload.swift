import Foundation
import RenkeiCore
import RenkeiStore
import RenkeiTestSupport

/// Seeded local work for a replica, written with the library straight into the agent's
/// replica file while no `renkei` runs on it: new events and fund entries, edits of
/// events the replica may write (its own and, for a bureau, its prefectures'), and a few
/// deletes. Everything goes in one transaction, so thousands of changes take moments.
struct ReliabilityWorkload {
  var random: SplitMix64

  init(seed: UInt64) { random = SplitMix64(seed: seed) }

  /// What one call wrote.
  struct Written {
    var changes = 0
    var creates = 0
    var updates = 0
    var deletes = 0
    var yen: Int64 = 0
  }

  /// A CSV in the format of `Examples/data/events.csv` with `rows` events of prefecture
  /// `prefecture`, ids `PREFIX-0…`.
  static func csv(rows: Int, prefix: String, prefecture: String) -> String {
    var text = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\n"
    for index in 0..<rows {
      let day = index % 28 + 1
      let month = index % 9 + 4
      text +=
        "\(prefix)-\(index),kanto-shinetsu,\(prefecture),2023,seminar,地域ケア研修 第\(index)回,2023-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),,会場\(index % 50),埼玉県;厚生局,\(index % 90),planned,generated\n"
    }
    return text
  }

  /// Writes `count` changes through `replica`, tagging new ids and values with `tag`.
  @discardableResult
  mutating func write(_ count: Int, on replica: Replica, tag: String) throws -> Written {
    var written = Written()
    let ownScopes = replica.scope.readableScopes.filter { replica.scope.canWrite($0) }
    try replica.database.inTransaction {
      let writable = ownScopes.map { "'\($0.rawValue)'" }.joined(separator: ", ")
      var editable = try replica.database.prepare(
        "SELECT id FROM records WHERE kind = 'event' AND deleted = 0 AND scope IN (\(writable)) ORDER BY id"
      ).rows().map { try RecordID(try $0.string(0)) }
      var index = 0
      while written.changes < count {
        index += 1
        let roll = Int.random(in: 0..<100, using: &random)
        let scope = ownScopes.randomElement(using: &random)!.rawValue
        do {
          if roll < 25 || editable.isEmpty {
            let id = try RecordID("\(tag)-e\(index)")
            let month = Int.random(in: 4...12, using: &random)
            let day = Int.random(in: 1...28, using: &random)
            try replica.create(
              .event, id: id,
              fields: [
                "scope": .string(scope), "kind": .string("seminar"), "title": .text("研修 \(tag) \(index)"),
                "starts_on": .string(String(format: "2023-%02d-%02d", month, day)), "venue": .text("会場 \(tag)"),
                "co_hosts": .set(["厚生局"]),
              ])
            editable.append(id)
            written.creates += 1
          } else if roll < 35 {
            let yen = Int64.random(in: 1...500, using: &random) * 10_000
            try replica.create(
              .fundEntry, id: try RecordID("\(tag)-f\(index)"),
              fields: [
                "scope": .string(scope), "programme": .text("地域医療介護総合確保基金"), "kind": .string("deposit"),
                "amount": .integer(yen), "occurred_on": .string("2023-07-0\(Int.random(in: 1...9, using: &random))"),
                "memo": .text("\(tag) \(index)"),
              ])
            written.creates += 1
            written.yen += yen
          } else if roll < 37 {
            let at = Int.random(in: 0..<editable.count, using: &random)
            try replica.delete(editable[at])
            editable.remove(at: at)
            written.deletes += 1
          } else {
            let id = editable.randomElement(using: &random)!
            let fields: RecordFields
            switch Int.random(in: 0..<4, using: &random) {
            case 0: fields = ["venue": .text("会場 \(tag) \(index)")]
            case 1: fields = ["participants": .integer(Int64(index % 1000))]
            case 2: fields = ["notes": .text("\(tag) \(index)\n")]
            default: fields = ["co_hosts": .set(["厚生局", "\(tag)-\(index)"])]
            }
            try replica.update(id, fields: fields)
            written.updates += 1
          }
          written.changes += 1
        } catch let error as ReplicaError where [.nothingChanged, .deleted, .closedYear].contains(error.code) {
          continue
        }
      }
    }
    return written
  }
}
