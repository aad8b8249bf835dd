import RenkeiCore

/// The machine form of a balance, for `--json`: snake_case keys, amounts as integer yen,
/// dates as ISO text, the fiscal year as its starting year plus its Japanese name.
extension FundBalance: Encodable {
  private enum CodingKeys: String, CodingKey {
    case scope, programme
    case fiscalYear = "fiscal_year"
    case fiscalYearName = "fiscal_year_name"
    case decided, deposited, interest, executed, balance, surveyed, lines, surveys, unattributed
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(scope, forKey: .scope)
    try container.encode(programme, forKey: .programme)
    try container.encode(fiscalYear, forKey: .fiscalYear)
    try container.encode(fiscalYear.japaneseName, forKey: .fiscalYearName)
    try container.encode(decided, forKey: .decided)
    try container.encode(deposited, forKey: .deposited)
    try container.encode(interest, forKey: .interest)
    try container.encode(executed, forKey: .executed)
    try container.encode(balance, forKey: .balance)
    try container.encode(surveyed, forKey: .surveyed)
    try container.encode(lines, forKey: .lines)
    try container.encode(surveys, forKey: .surveys)
    try container.encode(unattributed, forKey: .unattributed)
  }
}

extension FundBalance.Line: Encodable {
  private enum CodingKeys: String, CodingKey {
    case id, kind, amount, corrections
    case occurredOn = "occurred_on"
    case memo
    case effectiveAmount = "effective_amount"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(entry.id, forKey: .id)
    try container.encode(entry.kind, forKey: .kind)
    try container.encode(entry.amount, forKey: .amount)
    try container.encode(entry.occurredOn, forKey: .occurredOn)
    try container.encode(entry.memo, forKey: .memo)
    try container.encode(corrections.map(CorrectionJSON.init), forKey: .corrections)
    try container.encode(effectiveAmount, forKey: .effectiveAmount)
  }
}

extension FundBalance.Unattributed: Encodable {
  private enum CodingKeys: String, CodingKey {
    case correction, reason
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(CorrectionJSON(correction), forKey: .correction)
    try container.encode(reason, forKey: .reason)
  }
}

/// A correction as the JSON lists it.
private struct CorrectionJSON: Encodable {
  var id: RecordID
  var amount: Int64
  var occurredOn: RecordDate?
  var memo: String?
  var corrects: RecordID?

  init(_ entry: FundEntry) {
    id = entry.id
    amount = entry.amount
    occurredOn = entry.occurredOn
    memo = entry.memo
    corrects = entry.corrects
  }

  private enum CodingKeys: String, CodingKey {
    case id, amount, memo, corrects
    case occurredOn = "occurred_on"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(amount, forKey: .amount)
    try container.encode(occurredOn, forKey: .occurredOn)
    try container.encode(memo, forKey: .memo)
    try container.encode(corrects, forKey: .corrects)
  }
}
