/// Three-way merge of sets: an element any side added is in; an element of the base that
/// any side removed is out. Additions and removals never collide, because a side can only
/// remove what the base had and only add what it lacked.
public enum SetMerge {
  public static func merge(base: Set<String>, sides: [Set<String>]) -> Set<String> {
    var result = base
    for side in sides {
      result.subtract(base.subtracting(side))
    }
    for side in sides {
      result.formUnion(side.subtracting(base))
    }
    return result
  }

  /// The same over sorted arrays, returning a sorted array.
  public static func mergeSorted(base: [String], sides: [[String]]) -> [String] {
    merge(base: Set(base), sides: sides.map(Set.init)).sorted()
  }
}
