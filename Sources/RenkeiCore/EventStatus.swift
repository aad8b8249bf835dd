/// Where an event stands.
public enum EventStatus: String, Sendable, Hashable, Codable, CaseIterable {
  case planned, held, postponed, cancelled
}
