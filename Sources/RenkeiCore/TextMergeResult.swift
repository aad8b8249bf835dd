/// The outcome of a three-way text merge.
public enum TextMergeResult: Sendable, Equatable {
  case merged(String)
  case conflict(TextConflict)
}
