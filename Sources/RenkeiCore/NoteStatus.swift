/// Whether a hearing note is still being written.
public enum NoteStatus: String, Sendable, Hashable, Codable, CaseIterable {
  case draft, final
}
