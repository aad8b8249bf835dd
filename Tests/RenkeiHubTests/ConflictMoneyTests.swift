import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// What `renkei-hub conflicts show` says the ledger would hold under each choice, for a
/// fund entry in conflict: the figures the administrator decides on.
@Suite struct ConflictMoneyTests {
  let ledger = LedgerRuleTests()

  @Test func twoMemosForOneEntryShowTheBalanceUnderEachSide() throws {
    let (hub, saitama, bureau) = try ledger.world()
    try saitama.create(.fundEntry, fields: ledger.entry(10_000_000, kind: "initial-decision", on: "2023-05-01"))
    let spent = try saitama.create(.fundEntry, fields: ledger.entry(1_200_000, kind: "execution")).recordID
    try ledger.sync(saitama, hub)
    try ledger.sync(bureau, hub)
    try saitama.update(spent, fields: ["memo": .text("研修会場費")])
    try bureau.update(spent, fields: ["memo": .text("研修会場費(局確認)")])
    try ledger.sync(saitama, hub)
    try ledger.sync(bureau, hub)
    let conflict = try #require(try hub.openConflicts().first)

    let lines = try hub.balanceLines(for: conflict)
    #expect(lines.first == "money under each choice:")
    #expect(
      lines.contains {
        $0.hasPrefix("  if saitama's side is taken (execution 1,200,000円)")
          && $0.hasSuffix("decided 10,000,000円, executed 1,200,000円, balance 8,800,000円")
      }, "\(lines)")
    #expect(
      lines.contains {
        $0.hasPrefix("  if kanto's side is taken (execution 1,200,000円)") && $0.hasSuffix("executed 1,200,000円, balance 8,800,000円")
      }, "\(lines)")
    #expect(lines.count == 3, "no duplicate line for a conflict that is not one: \(lines)")
  }

  /// The amounts a fund entry's conflict lists read as money, as everywhere else staff and
  /// the administrator see them.
  @Test func conflictsShowWritesAmountsInYen() throws {
    let (hub, saitama, bureau) = try ledger.world()
    try saitama.create(.fundEntry, fields: ledger.entry(3_000_000))
    try bureau.create(.fundEntry, fields: ledger.entry(3_000_000))
    try ledger.sync(saitama, hub)
    try ledger.sync(bureau, hub)
    let conflict = try #require(try hub.openConflicts().first)
    let shown = ConflictReport.show(conflict).split(separator: "\n").map(String.init)
    let amount = try #require(shown.firstIndex { $0.hasPrefix("* amount") }, "\(shown)")
    #expect(shown[amount + 1] == "    base: null", "\(shown)")
    #expect(shown[amount + 2] == "    kanto: 3,000,000円", "\(shown)")
    #expect(!shown.contains { $0.contains("3000000") }, "\(shown)")
  }

  @Test func aPossibleDuplicateShowsTheBalanceWithBothAndWithoutTheLaterOne() throws {
    let (hub, saitama, bureau) = try ledger.world()
    let first = try saitama.create(.fundEntry, fields: ledger.entry(3_000_000)).recordID
    try saitama.create(.fundEntry, fields: ledger.entry(500_000, kind: "execution", on: "2023-11-01"))
    try bureau.create(.fundEntry, fields: ledger.entry(3_000_000))
    try ledger.sync(saitama, hub)
    try ledger.sync(bureau, hub)
    let conflict = try #require(try hub.openConflicts().first)
    try #require(conflict.fields.map(\.rule) == [.possibleDuplicate])

    let lines = try hub.balanceLines(for: conflict)
    #expect(lines.count == 3, "\(lines)")
    #expect(lines[1].hasPrefix("  if kanto's side is taken (deposit 3,000,000円)"), "\(lines)")
    #expect(lines[1].hasSuffix("decided 0円, deposited 6,000,000円, executed 500,000円, balance 5,500,000円"), "\(lines)")
    #expect(lines[2].hasPrefix("  if it is the same money as \(first) (the office then books a correction of -3,000,000円)"), "\(lines)")
    #expect(lines[2].hasSuffix("decided 0円, deposited 3,000,000円, executed 500,000円, balance 2,500,000円"), "\(lines)")
  }
}
