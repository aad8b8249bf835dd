import RenkeiCore
import RenkeiStore

/// The writes a prefecture's staff make through `renkei event add` and `renkei event
/// edit`: first a tenth of them creating events, then edits of one or two fields of
/// events picked at random. Tracks each event's fields, so an edit always changes
/// something (the replica refuses one that does not).
struct LocalWrites {
  enum Write {
    case create(RecordID, RecordFields)
    case edit(RecordID, RecordFields)

    var isCreate: Bool {
      if case .create = self { return true }
      return false
    }
  }

  let scope: Scope
  let total: Int
  var creates: Int { total / 10 }
  private(set) var written = 0
  private var generator: SplitMix64
  private var ids: [RecordID] = []
  private(set) var states: [RecordID: RecordFields] = [:]

  init(seed: UInt64, label: String, scope: Scope, total: Int) {
    self.scope = scope
    self.total = total
    generator = SplitMix64.stream(label, seed: seed)
  }

  var isFinished: Bool { written >= total }

  mutating func next() throws -> Write {
    defer { written += 1 }
    if written < creates || ids.isEmpty {
      let id = try RecordID(generator.recordID())
      let fields = SyntheticEvent.create(scope: scope, serial: written, using: &generator)
      if written < 16 { try SyntheticEvent.checkNormal(fields, id: id.rawValue) }
      ids.append(id)
      states[id] = fields
      return .create(id, fields)
    }
    let id = ids[generator.below(ids.count)]
    let current = states[id]!
    var fields: RecordFields = [:]
    for _ in 0..<(generator.chance(1, in: 3) ? 2 : 1) {
      let field = generator.pick(SyntheticEvent.EditableField.allCases)
      fields.merge(SyntheticEvent.edit(field, serial: written, using: &generator)) { _, new in new }
    }
    fields = fields.filter { current[$0.key] != $0.value }
    if fields.isEmpty { fields = SyntheticEvent.edit(.title, serial: written, using: &generator) }
    states[id] = current.merging(fields) { _, new in new }
    return .edit(id, fields)
  }

  /// Applies a write through the replica API, as the `renkei event` commands do.
  static func apply(_ write: Write, to replica: Replica) throws -> Change {
    switch write {
    case .create(let id, let fields): return try replica.create(.event, id: id, fields: fields)
    case .edit(let id, let fields): return try replica.update(id, fields: fields)
    }
  }

  /// The rows a write leaves in a replica, as the baseline inserts them: the change-log
  /// row, and the record's row after the write, in the replica's own canonical JSON.
  func plainRows(for change: Change, epoch: UInt32) throws -> (change: [DatabaseValue], record: [DatabaseValue]) {
    let fields = states[change.recordID]!
    var fiscalYear = DatabaseValue.null
    if case .integer(let year)? = fields["fiscal_year"] { fiscalYear = .integer(year) }
    let vector = try CanonicalJSON.encode(change.vector)
    let body = try CanonicalJSON.encode(change)
    let state = try CanonicalJSON.encode(fields)
    let stamp = try CanonicalJSON.encode(change.stamp)
    return (
      [.integer(Int64(epoch)), .integer(Int64(change.sequence)), .text(change.recordID.rawValue), .text(body)],
      [
        .text(change.recordID.rawValue), .text(change.kind.rawValue), .text(change.scope.rawValue), fiscalYear, .text(state),
        .integer(0), .text(vector), .text(stamp),
      ]
    )
  }
}
