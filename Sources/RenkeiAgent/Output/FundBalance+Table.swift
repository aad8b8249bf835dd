import RenkeiCore
import RenkeiReports

extension FundBalance {
  /// The human form of `fund balance`: one row per scope, fiscal year and programme, amounts
  /// in yen with thousands separators, right-aligned.
  public static func summaryTable(_ balances: [FundBalance], programmeWidth: Int = 30) -> TextTable {
    var table = TextTable(columns: [
      .init("区分"), .init("年度"), .init("事業", maxWidth: programmeWidth), .init("決定額", alignment: .right),
      .init("積立・運用益", alignment: .right), .init("執行額", alignment: .right), .init("残高", alignment: .right),
    ])
    for balance in balances {
      table.append([
        balance.scope.label, balance.fiscalYear.bothNames, balance.programme, YenText.grouped(balance.decided),
        YenText.grouped(balance.deposited + balance.interest), YenText.grouped(balance.executed),
        YenText.grouped(balance.balance),
      ])
    }
    return table
  }

  /// The entries behind one balance: each original entry, its corrections indented beneath
  /// it, then the balance surveys and any correction that could not be attributed.
  public func entriesTable(memoWidth: Int = 40) -> TextTable {
    var table = TextTable(columns: [
      .init("日付"), .init("種別"), .init("金額", alignment: .right), .init("計上額", alignment: .right),
      .init("ID"), .init("摘要", maxWidth: memoWidth),
    ])
    func row(_ entry: FundEntry, counted: Int64?, indent: Bool) -> [String] {
      [
        entry.occurredOn?.iso ?? "", (indent ? "  └ " : "") + Self.japaneseName(of: entry.kind), YenText.grouped(entry.amount),
        counted.map(YenText.grouped) ?? "", entry.id.rawValue, entry.memo ?? "",
      ]
    }
    for line in lines + surveys {
      table.append(row(line.entry, counted: line.effectiveAmount, indent: false))
      for correction in line.corrections { table.append(row(correction, counted: nil, indent: true)) }
    }
    for item in unattributed {
      table.append(Array(row(item.correction, counted: nil, indent: false).dropLast()) + ["未計上: " + item.reason])
    }
    return table
  }

  /// The kind as the bureau's documents name it.
  public static func japaneseName(of kind: FundEntryKind) -> String {
    switch kind {
    case .initialDecision: return "交付決定"
    case .amendedDecision: return "変更交付決定"
    case .finalDetermination: return "額の確定"
    case .deposit: return "積立"
    case .execution: return "執行"
    case .interest: return "運用益"
    case .balanceSurvey: return "残高調査"
    case .correction: return "訂正"
    }
  }
}
