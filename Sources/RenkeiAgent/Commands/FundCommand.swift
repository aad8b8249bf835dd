import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiReports
import RenkeiStore

/// `renkei fund …`: the fund ledger, in whole yen, append-only.
///
/// There is deliberately no `fund edit` and no `fund delete`: a mistake is corrected by a
/// new correction entry, so entries made at two offices at once both count and a balance is
/// always the plain sum of its entries (DESIGN.md, "money is never last-writer-wins").
public enum FundCommand: AgentCommand {
  /// The kinds `fund add` writes; corrections come from `fund correct`, which names the entry.
  static let addableKinds = FundEntryKind.allCases.filter { $0 != .correction }
  /// Kinds that record a change to a total, which may go down: a lowered decision, a
  /// determination below the decision, a refund of spending.
  static let kindsThatMayBeNegative: Set<FundEntryKind> = [.amendedDecision, .finalDetermination, .execution]

  static let kindHelp = addableKinds.map { "\($0.rawValue) (\(FundBalance.japaneseName(of: $0)))" }.joined(separator: ", ")

  public static let command = Command(
    "fund", abstract: "Keeps the fund ledger in whole yen: decisions, deposits, executions and their corrections.",
    discussion: """
      The ledger is append-only: an entry is never edited or deleted, so there is no fund edit. \
      A mistake is corrected with renkei fund correct ENTRY --amount DIFFERENCE, which adds a correction entry; \
      entries made at two offices at once both count. Amounts are typed as 12,000,000, 12000000円, 1200万 or 1.2億; \
      dates as 2023-05-30, 令和5年5月30日 or R5.5.30.
      """,
    subcommands: [
      Command(
        "add", abstract: "Adds a ledger entry and prints its id.",
        parameters: [
          .option("programme", valueName: "name", help: "The programme, e.g. 地域医療介護総合確保基金（介護施設等整備分）.", required: true),
          .option("kind", valueName: "kind", help: "One of \(kindHelp).", required: true),
          .option(
            "amount", valueName: "yen",
            help:
              "Whole yen: 12,000,000, 1200万, 1.2億. Negative (-500,000, ▲50万) only for amended-decision, final-determination and execution (a refund); 0 only for final-determination and balance-survey.",
            required: true),
          .option("on", valueName: "date", help: "The date of the decision, deposit or payment.", required: true),
          .option("memo", valueName: "text", help: "A note, e.g. the document number."),
          .option("fy", valueName: "year", help: "The fiscal year the money concerns, when not the year of --on (2019, 令和元年度, R1)."),
          .option("scope", valueName: "code", help: "Whose ledger: a prefecture code (11) or the bureau (default this replica's scope)."),
          .flag("json", help: "Print the new entry as JSON instead of its id."),
        ]),
      Command(
        "list", abstract: "Lists ledger entries, corrections included, by date.",
        parameters: [
          .option("fy", valueName: "year", help: "Only this fiscal year (2023, FY2023, 令和5年度, R5)."),
          .option("programme", valueName: "name", help: "Only this programme (its name, or part of it)."),
          EventCommand.scopeFilter("entries"),
          .flag("json", help: "Print the entries as JSON records."),
        ]),
      Command(
        "balance", abstract: "Shows each programme's decided, executed and remaining amounts, with the entries behind them.",
        discussion:
          "A correction counts where the entry it corrects counts. A balance survey is the balance a prefecture reported; it is shown beside the computed balance, never added in.",
        parameters: [
          .option("fy", valueName: "year", help: "Only this fiscal year (2023, FY2023, 令和5年度, R5)."),
          EventCommand.scopeFilter("balances"),
          .flag("json", help: "Print the balances and their entries as JSON."),
        ]),
      Command(
        "correct", abstract: "Corrects an entry by adding a correction entry; the entry itself never changes.",
        discussion:
          "The amount is the difference: --amount -500,000 (or ▲50万) lowers the entry by 500,000 yen, --amount 200,000 raises it. The correction counts in the entry's programme and fiscal year.",
        parameters: [
          .argument("entry", help: "The id of the entry to correct, as fund list prints it."),
          .option("amount", valueName: "yen", help: "The signed difference in yen: -500,000, ▲50万, 200,000.", required: true),
          .option("memo", valueName: "text", help: "Why, e.g. the amended notice's number."),
          .option("on", valueName: "date", help: "The date of the correction (default today, Japan time)."),
          .flag("json", help: "Print the correction entry as JSON."),
        ]),
    ],
    absentSubcommands: Dictionary(
      uniqueKeysWithValues: ["edit", "delete"].map { word in
        (
          word,
          "fund entries are never \(word == "edit" ? "edited" : "deleted"), so no yen is lost or counted twice; "
            + "put a mistake right with renkei fund correct ENTRY --amount DIFFERENCE"
        )
      }))

  public static func run(_ arguments: ParsedArguments, in directory: AgentDirectory) async throws {
    switch arguments.subcommandPath.dropFirst() {
    case ["add"]: try add(arguments, in: directory)
    case ["list"]: try list(arguments, in: directory)
    case ["balance"]: try balance(arguments, in: directory)
    case ["correct"]: try correct(arguments, in: directory)
    default: throw arguments.usageError("unknown fund command")
    }
  }

  // MARK: Subcommands

  static func add(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    if ParsedArguments.foldedChoice(arguments.string("kind") ?? "") == FundEntryKind.correction.rawValue {
      throw arguments.usageError(
        "--kind correction: a correction names the entry it corrects; use renkei fund correct ENTRY --amount DIFFERENCE")
    }
    let kind = try arguments.choice("kind", FundEntryKind.self, what: "a fund entry kind", among: addableKinds)!
    let amount = try arguments.yen(
      "amount", allowNegative: kindsThatMayBeNegative.contains(kind),
      negativeRefusal: "\(kind.rawValue) entries are never negative; to lower an entry, add a correction with renkei fund correct")!
    let date = try arguments.date("on")!
    let year = try arguments.fiscalYear("fy")
    let scope = try arguments.scope("scope")
    let replica = try AgentReplica.open(directory)
    var fields: RecordFields = [
      "scope": .string((scope ?? replica.scope).rawValue), "programme": .text(arguments.string("programme")!),
      "kind": .string(kind.rawValue), "amount": .integer(amount), "occurred_on": .string(date.iso),
    ]
    if let memo = arguments.textField("memo") { fields["memo"] = memo }
    if let year { fields["fiscal_year"] = .integer(Int64(year.startYear)) }
    let change = try AgentReplica.saving("the fund entry") { try replica.create(.fundEntry, fields: fields) }
    if arguments.flag("json") {
      print(try RecordDocument.json(RecordDocument(try replica.stored(change.recordID, .fundEntry))))
    } else {
      print(change.recordID)
    }
  }

  static func list(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let year = try arguments.fiscalYear("fy")
    let programme = arguments.string("programme").map { $0.trimmingWhitespace.precomposedStringWithCanonicalMapping }
    let scope = try arguments.scope("scope")
    let entries = try ledger(AgentReplica.open(directory))
      .filter { item in
        (year.map { item.entry.fiscalYear == $0 } ?? true) && (programme.map { item.entry.programme.contains($0) } ?? true)
          && (scope.map { item.entry.scope == $0 } ?? true)
      }
      .sorted { inLedgerOrder($0.entry, $1.entry) }
    if arguments.flag("json") {
      print(try RecordDocument.json(entries.map { RecordDocument($0.stored) }))
      return
    }
    var filters: [String] = []
    if let scope { filters.append("of \(scope.label)") }
    if let year { filters.append("in \(year.bothNames)") }
    if let programme { filters.append("of programmes matching \(programme)") }
    let described = filters.isEmpty ? "" : " " + filters.joined(separator: " ")
    guard !entries.isEmpty else {
      print(
        filters.isEmpty
          ? "no fund entries on this replica yet; add one with: renkei fund add --programme NAME --kind KIND --amount YEN --on DATE"
          : "no fund entries\(described)")
      return
    }
    print(table(of: entries.map(\.entry)).render(), terminator: "")
    print("\(RecordText.count(entries.count, "entry", "entries"))\(described)")
  }

  static func balance(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let year = try arguments.fiscalYear("fy")
    let scope = try arguments.scope("scope")
    // Corrections count only within their entry's scope, so dropping the other scopes'
    // entries before computing changes no figure of this scope.
    let entries = try ledger(AgentReplica.open(directory)).map(\.entry).filter { entry in scope.map { entry.scope == $0 } ?? true }
    let balances = FundBalance.compute(entries, fiscalYear: year)
    if arguments.flag("json") {
      print(try RecordDocument.json(balances))
      return
    }
    guard !balances.isEmpty else {
      var filters: [String] = []
      if let scope { filters.append("of \(scope.label)") }
      if let year { filters.append("in \(year.bothNames)") }
      print(filters.isEmpty ? "no fund entries on this replica yet" : "no fund entries " + filters.joined(separator: " "))
      return
    }
    print(FundBalance.summaryTable(balances, programmeWidth: 60).render(), terminator: "")
    for balance in balances {
      print("")
      var heading = "\(balance.scope.label)  \(balance.fiscalYear.bothNames)  \(balance.programme)"
      heading += "  残高 \(YenAmount.format(balance.balance))"
      if let surveyed = balance.surveyed, surveyed != balance.balance {
        heading += "（残高調査 \(YenAmount.format(surveyed))、差 \(YenAmount.format(surveyed - balance.balance))）"
      }
      print(heading)
      print(balance.entriesTable().render(), terminator: "")
    }
  }

  static func correct(_ arguments: ParsedArguments, in directory: AgentDirectory) throws {
    let target = try arguments.recordID("entry")
    let amount = try arguments.yen("amount", allowNegative: true)!
    guard amount != 0 else { throw arguments.usageError("--amount: a correction of 0 yen changes nothing") }
    let given = try arguments.date("on")
    let replica = try AgentReplica.open(directory)
    let stored = try replica.stored(target, .fundEntry)
    guard case .fundEntry(let original)? = stored.record else {
      throw AgentError(.damaged, "fund entry \(target) cannot be read: \(stored.state.fields)")
    }
    // A correction counts in its entry's fiscal year, and its date must lie from a year
    // before to two years after that year (FundEntry's rule for settlements).
    let first = original.fiscalYear.startYear - 1
    let last = original.fiscalYear.startYear + 2
    let date = given ?? today()
    if given == nil, !(first...last).contains(date.fiscalYear.startYear) {
      throw AgentError(
        .badInput,
        "fund entry \(target) is of \(original.fiscalYear.bothNames), too long ago for a correction dated today (\(date.iso)): give --on with the date of the correction, from \(first)-04-01 to \(last + 1)-03-31"
      )
    }
    var fields: RecordFields = [
      "scope": .string(original.scope.rawValue), "programme": .text(original.programme),
      "kind": .string(FundEntryKind.correction.rawValue), "amount": .integer(amount), "occurred_on": .string(date.iso),
      "fiscal_year": .integer(Int64(original.fiscalYear.startYear)), "corrects": .string(target.rawValue),
    ]
    if let memo = arguments.textField("memo") { fields["memo"] = memo }
    let before = try counted(target, in: replica)
    let change = try AgentReplica.saving("the correction of fund entry \(target)") { try replica.create(.fundEntry, fields: fields) }
    if arguments.flag("json") {
      print(try RecordDocument.json(RecordDocument(try replica.stored(change.recordID, .fundEntry))))
      return
    }
    var line = "corrected fund entry \(target) by \(YenAmount.format(amount)) with correction \(change.recordID)"
    if let before, let after = try counted(target, in: replica) {
      line +=
        "; it now counts \(YenAmount.format(after.amount)) (was \(YenAmount.format(before.amount))) in \(after.programme), \(after.year.bothNames)"
    }
    print(line)
  }

  // MARK: Reading the ledger

  /// Every live fund entry with its stored record. An entry that no longer validates is
  /// named on standard error, never silently dropped from a sum.
  static func ledger(_ replica: Replica) throws -> [(stored: StoredRecord, entry: FundEntry)] {
    var result: [(stored: StoredRecord, entry: FundEntry)] = []
    var unreadable: [RecordID] = []
    for stored in try replica.records(kind: .fundEntry) {
      if case .fundEntry(let entry)? = stored.record { result.append((stored, entry)) } else { unreadable.append(stored.id) }
    }
    if !unreadable.isEmpty {
      FileHandle.standardError.write(
        Data(
          "warning: \(RecordText.count(unreadable.count, "fund entry", "fund entries")) cannot be read and are left out: \(unreadable.map(\.rawValue).joined(separator: ", "))\n"
            .utf8))
    }
    return result
  }

  /// What the entry `id` (or the original it corrects) counts for now, corrections applied.
  static func counted(_ id: RecordID, in replica: Replica) throws -> (amount: Int64, programme: String, year: FiscalYear)? {
    for balance in FundBalance.compute(try ledger(replica).map(\.entry)) {
      for line in balance.lines + balance.surveys where line.entry.id == id || line.corrections.contains(where: { $0.id == id }) {
        return (line.effectiveAmount, balance.programme, balance.fiscalYear)
      }
    }
    return nil
  }

  /// Dated entries by date, then undated ones; ties by id.
  static func inLedgerOrder(_ lhs: FundEntry, _ rhs: FundEntry) -> Bool {
    switch (lhs.occurredOn, rhs.occurredOn) {
    case (let left?, let right?) where left != right: return left < right
    case (.some, nil): return true
    case (nil, .some): return false
    default: return lhs.id < rhs.id
    }
  }

  /// The table `fund list` prints; the scope column only when entries of several scopes
  /// show, the corrected entry's column only when corrections do.
  static func table(of entries: [FundEntry]) -> TextTable {
    let severalScopes = Set(entries.map(\.scope)).count > 1
    let corrections = entries.contains { $0.corrects != nil }
    var columns: [TextTable.Column] = [.init("日付")]
    if severalScopes { columns.append(.init("区分")) }
    columns += [.init("年度"), .init("事業"), .init("種別"), .init("金額", alignment: .right), .init("ID")]
    if corrections { columns.append(.init("訂正対象")) }
    columns.append(.init("摘要", maxWidth: 40))
    var table = TextTable(columns: columns)
    for entry in entries {
      var row = [entry.occurredOn?.iso ?? ""]
      if severalScopes { row.append(entry.scope.label) }
      row += [
        entry.fiscalYear.bothNames, entry.programme, FundBalance.japaneseName(of: entry.kind), YenText.grouped(entry.amount),
        entry.id.rawValue,
      ]
      if corrections { row.append(entry.corrects?.rawValue ?? "") }
      row.append(entry.memo ?? "")
      table.append(row)
    }
    return table
  }

  /// Today in Japan, where the ledgers are kept, whatever the machine's time zone.
  static func today() -> RecordDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .current
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return try! RecordDate(year: parts.year!, month: parts.month!, day: parts.day!)
  }
}
