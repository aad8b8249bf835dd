/// The regions of a text that two sides changed differently.
public struct TextConflict: Sendable, Equatable {
  public struct Region: Sendable, Equatable {
    /// The base lines the region covers, as a half-open range of line indexes.
    public var baseRange: Range<Int>
    public var base: [String]
    public var ours: [String]
    public var theirs: [String]
  }

  public var regions: [Region]
}
