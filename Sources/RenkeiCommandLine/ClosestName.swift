/// Finds the name someone most likely meant when they mistyped one, for "did you mean" hints.
enum ClosestName {
  /// The candidate nearest to `typed`, or `nil` when none is near enough to be worth
  /// suggesting.
  ///
  /// A candidate is near enough when it is within a small edit distance — one edit for
  /// names up to 3 characters, two up to 6, three beyond — counting a swap of adjacent
  /// characters as one edit, or when `typed` (at least 3 characters) is a prefix of it.
  /// Ties go to the candidate listed first.
  static func suggestion(for typed: String, among candidates: [String]) -> String? {
    let allowed = typed.count <= 3 ? 1 : typed.count <= 6 ? 2 : 3
    var best: (name: String, distance: Int)?
    for candidate in candidates where candidate != typed {
      var distance = editDistance(typed, candidate)
      if distance > allowed {
        guard typed.count >= 3, candidate.hasPrefix(typed) else { continue }
        distance = allowed
      }
      if best == nil || distance < best!.distance {
        best = (candidate, distance)
      }
    }
    return best?.name
  }

  /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps
  /// of adjacent characters each cost one.
  ///
  /// - Complexity: O(*m* × *n*) for strings of *m* and *n* characters.
  static func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs)
    let b = Array(rhs)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var distance = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          distance = min(distance, table[i - 2][j - 2] + 1)
        }
        table[i][j] = distance
      }
    }
    return table[a.count][b.count]
  }
}
