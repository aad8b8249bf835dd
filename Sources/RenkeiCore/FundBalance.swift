/// The balance of one programme's fund ledger for one scope and fiscal year, with the
/// entries that make it up: what `renkei fund balance` shows.
///
/// How the entries count (a pure function of them, so every replica holding the same
/// entries shows the same figures):
///
/// - Each entry counts once, with its corrections: a `correction` adds its signed amount to
///   the entry it `corrects` (following a correction of a correction to the original), and
///   counts where that entry counts, in its programme and fiscal year. So a correction
///   of an execution changes `executed`, one of a decision changes `decided`, and no yen
///   is counted twice, even when an entry appears twice in the input.
/// - `decided` sums the decision entries: `initial-decision`, `amended-decision` and
///   `final-determination`. Like every ledger entry each records a change to the total,
///   because a balance is the plain sum of its entries: an amended decision of +2,000,000
///   raises the decided amount by that much, a final determination of 0 confirms it.
/// - `deposited` sums `deposit` entries and `interest` sums `interest` entries: money paid
///   into the fund.
/// - `executed` sums `execution` entries, written as positive amounts of money spent (a
///   negative execution is a refund).
/// - `balance` is `decided + deposited + interest − executed`.
/// - A `balance-survey` records the balance a prefecture reported, not a movement of
///   money, so it is listed under `surveys` beside the computed balance and never added in.
/// - A correction whose entry is not among the input, or whose chain of corrections loops,
///   or which corrects an entry of another scope, cannot be attributed: it counts nowhere
///   and is listed under `unattributed`, in its own programme and year, so it is seen.
public struct FundBalance: Sendable, Hashable {
  /// One original entry and the corrections applied to it.
  public struct Line: Sendable, Hashable {
    public var entry: FundEntry
    /// The corrections of this entry, directly or through other corrections, oldest first.
    public var corrections: [FundEntry]
    /// The entry's amount with its corrections applied: what it counts for.
    public var effectiveAmount: Int64

    /// The line of `entry` with `corrections` applied, in the order given.
    public init(entry: FundEntry, corrections: [FundEntry]) {
      self.entry = entry
      self.corrections = corrections
      self.effectiveAmount = corrections.reduce(entry.amount) { $0 + $1.amount }
    }
  }

  /// A correction that could not be applied to the entry it names, and why.
  public struct Unattributed: Sendable, Hashable {
    public var correction: FundEntry
    /// Why it counts nowhere, in words: `corrects x1, which is not in the ledger`.
    public var reason: String
  }

  /// The prefecture or bureau whose ledger this is.
  public var scope: Scope
  public var programme: String
  /// The year the money concerns, which a settlement may follow by a year or two.
  public var fiscalYear: FiscalYear
  /// Decisions and determinations, corrections applied, in yen.
  public var decided: Int64 = 0
  /// Deposits into the fund, corrections applied, in yen.
  public var deposited: Int64 = 0
  /// Interest the fund earned, corrections applied, in yen.
  public var interest: Int64 = 0
  /// Money spent, corrections applied, in yen.
  public var executed: Int64 = 0
  /// The entries that count, in date order (undated last), then by id.
  public var lines: [Line] = []
  /// Balance surveys, in date order: the last one is the latest reported balance.
  public var surveys: [Line] = []
  public var unattributed: [Unattributed] = []

  /// What remains: decided plus deposits and interest, less what was executed.
  public var balance: Int64 { decided + deposited + interest - executed }

  /// The balance the latest survey reported, if any.
  public var surveyed: Int64? { surveys.last?.effectiveAmount }

  /// An empty balance, before any entry counts.
  public init(scope: Scope, programme: String, fiscalYear: FiscalYear) {
    self.scope = scope
    self.programme = programme
    self.fiscalYear = fiscalYear
  }

  /// The balances of every (scope, programme, fiscal year) in `entries`, or only those of
  /// `fiscalYear`, ordered by scope, fiscal year and programme.
  ///
  /// A correction counts in the year of the entry it corrects, so filtering by year never
  /// drops a correction made in a later year from the year it belongs to.
  /// - Complexity: O(n log n) in the number of entries.
  public static func compute(_ entries: [FundEntry], fiscalYear: FiscalYear? = nil) -> [FundBalance] {
    var byID: [RecordID: FundEntry] = [:]
    for entry in entries where byID[entry.id] == nil { byID[entry.id] = entry }

    var correctionsByRoot: [RecordID: [FundEntry]] = [:]
    var unattributed: [Unattributed] = []
    for correction in byID.values where correction.kind == .correction {
      switch root(of: correction, in: byID) {
      case .success(let original) where original.scope != correction.scope:
        unattributed.append(
          Unattributed(
            correction: correction,
            reason: "corrects \(original.id), an entry of scope \(original.scope), not \(correction.scope)"))
      case .success(let original):
        correctionsByRoot[original.id, default: []].append(correction)
      case .failure(let problem):
        unattributed.append(Unattributed(correction: correction, reason: problem.reason))
      }
    }

    struct Key: Hashable {
      var scope: Scope
      var programme: String
      var fiscalYear: FiscalYear
    }
    var balances: [Key: FundBalance] = [:]
    func balance(for entry: FundEntry) -> FundBalance {
      balances[Key(scope: entry.scope, programme: entry.programme, fiscalYear: entry.fiscalYear)]
        ?? FundBalance(scope: entry.scope, programme: entry.programme, fiscalYear: entry.fiscalYear)
    }
    func store(_ value: FundBalance) {
      balances[Key(scope: value.scope, programme: value.programme, fiscalYear: value.fiscalYear)] = value
    }

    for entry in byID.values where entry.kind != .correction {
      let line = Line(entry: entry, corrections: (correctionsByRoot[entry.id] ?? []).sorted(by: inLedgerOrder))
      var total = balance(for: entry)
      switch entry.kind {
      case .initialDecision, .amendedDecision, .finalDetermination: total.decided += line.effectiveAmount
      case .deposit: total.deposited += line.effectiveAmount
      case .interest: total.interest += line.effectiveAmount
      case .execution: total.executed += line.effectiveAmount
      case .balanceSurvey: total.surveys.append(line)
      case .correction: continue
      }
      if entry.kind != .balanceSurvey { total.lines.append(line) }
      store(total)
    }
    for item in unattributed {
      var total = balance(for: item.correction)
      total.unattributed.append(item)
      store(total)
    }

    return balances.values
      .filter { fiscalYear == nil || $0.fiscalYear == fiscalYear }
      .map { value in
        var sorted = value
        sorted.lines.sort { inLedgerOrder($0.entry, $1.entry) }
        sorted.surveys.sort { inLedgerOrder($0.entry, $1.entry) }
        sorted.unattributed.sort { inLedgerOrder($0.correction, $1.correction) }
        return sorted
      }
      .sorted { ($0.scope.rawValue, $0.fiscalYear, $0.programme) < ($1.scope.rawValue, $1.fiscalYear, $1.programme) }
  }

  private struct Problem: Error {
    var reason: String
  }

  /// The original entry a correction applies to, through any corrections of corrections.
  private static func root(of correction: FundEntry, in entries: [RecordID: FundEntry]) -> Result<FundEntry, Problem> {
    var seen: Set<RecordID> = [correction.id]
    var current = correction
    while current.kind == .correction {
      guard let target = current.corrects else {
        return .failure(Problem(reason: "names no entry to correct"))
      }
      guard let next = entries[target] else {
        return .failure(Problem(reason: "corrects \(target), which is not in the ledger"))
      }
      guard seen.insert(next.id).inserted else {
        return .failure(Problem(reason: "its chain of corrections loops back to \(next.id) and reaches no original entry"))
      }
      current = next
    }
    return .success(current)
  }

  /// Dated entries first, by date, then undated ones; ties by id, so the order is stable.
  private static func inLedgerOrder(_ lhs: FundEntry, _ rhs: FundEntry) -> Bool {
    switch (lhs.occurredOn, rhs.occurredOn) {
    case (let left?, let right?) where left != right: return left < right
    case (.some, nil): return true
    case (nil, .some): return false
    default: return lhs.id < rhs.id
    }
  }
}
