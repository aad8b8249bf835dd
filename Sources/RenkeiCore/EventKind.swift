/// What kind of gathering an event is, as the bureaus' documents classify them.
public enum EventKind: String, Sendable, Hashable, Codable, CaseIterable {
  case council, subcommittee, seminar
  case caseStudy = "case-study"
  case exchange, training, hearing, visit, liaison
  case headquartersMeeting = "headquarters-meeting"
  case other
}
