/// What a fund ledger entry records.
public enum FundEntryKind: String, Sendable, Hashable, Codable, CaseIterable {
  case initialDecision = "initial-decision"
  case amendedDecision = "amended-decision"
  case finalDetermination = "final-determination"
  case deposit, execution, interest
  case balanceSurvey = "balance-survey"
  case correction
}
