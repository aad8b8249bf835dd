/// The outcome of merging concurrent versions: the merged (or provisional) state and what
/// could not be settled.
public struct MergeResult: Sendable, Hashable {
  /// The merged state. Where fields collide it holds the provisional winner's values, the
  /// same on every site: the side with the latest stamp.
  public var state: RecordState
  /// The colliding fields, sorted; empty when the merge settled everything.
  public var conflicts: [FieldConflict]
  /// The side whose values stand provisionally in colliding fields.
  public var provisionalWinner: VersionStamp

  public var isClean: Bool { conflicts.isEmpty }
}
