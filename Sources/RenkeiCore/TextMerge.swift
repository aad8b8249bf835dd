/// Three-way merge of texts by lines (diff3).
///
/// Lines the base shares with both sides anchor the merge; between anchors, a stretch
/// changed on one side takes that side's lines, a stretch changed identically on both
/// takes them once, and a stretch changed differently on both is a conflict. A line ending
/// (`\n`) belongs to its line, so a text with or without a final newline, or with CRLF,
/// round-trips byte for byte.
public enum TextMerge {
  public static func merge(base: String, ours: String, theirs: String) -> TextMergeResult {
    let o = lines(base)
    let a = lines(ours)
    let b = lines(theirs)
    let matchA = LineDiff.matches(o, a)
    let matchB = LineDiff.matches(o, b)
    var anchors: [(Int, Int, Int)] = []
    for index in o.indices {
      if let inA = matchA[index], let inB = matchB[index] { anchors.append((index, inA, inB)) }
    }
    anchors.append((o.count, a.count, b.count))
    var result: [Substring] = []
    var regions: [TextConflict.Region] = []
    var (io, ia, ib) = (0, 0, 0)
    for (so, sa, sb) in anchors {
      let chunkO = Array(o[io..<so])
      let chunkA = Array(a[ia..<sa])
      let chunkB = Array(b[ib..<sb])
      if chunkA == chunkO {
        result += chunkB
      } else if chunkB == chunkO || chunkA == chunkB {
        result += chunkA
      } else {
        regions.append(
          TextConflict.Region(baseRange: io..<so, base: chunkO.map(String.init), ours: chunkA.map(String.init), theirs: chunkB.map(String.init)))
      }
      if so < o.count { result.append(o[so]) }
      (io, ia, ib) = (so + 1, sa + 1, sb + 1)
    }
    if !regions.isEmpty { return .conflict(TextConflict(regions: regions)) }
    return .merged(result.joined())
  }

  /// Merges several sides against one base, folding them in the order given: callers pass
  /// sides in a deterministic order so every site gets the same text.
  public static func merge(base: String, sides: [String]) -> TextMergeResult {
    guard var merged = sides.first else { return .merged(base) }
    for side in sides.dropFirst() {
      switch merge(base: base, ours: merged, theirs: side) {
      case .merged(let text): merged = text
      case .conflict(let conflict): return .conflict(conflict)
      }
    }
    return .merged(merged)
  }

  /// Lines with their terminating `\n` kept, so joining them gives the text back.
  static func lines(_ text: String) -> [Substring] {
    var result: [Substring] = []
    var start = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(after: index)
      if text[index] == "\n" || text[index] == "\r\n" {
        result.append(text[start..<next])
        start = next
      }
      index = next
    }
    if start < text.endIndex { result.append(text[start...]) }
    return result
  }
}

/// Longest-common-subsequence matching of lines.
enum LineDiff {
  /// For each line of `old`, the index of the line of `new` it is matched to, if any.
  static func matches(_ old: [Substring], _ new: [Substring]) -> [Int?] {
    var result = [Int?](repeating: nil, count: old.count)
    // Common prefix and suffix first: most edits touch a few lines of a long text.
    var prefix = 0
    while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] {
      result[prefix] = prefix
      prefix += 1
    }
    var suffix = 0
    while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
      result[old.count - 1 - suffix] = new.count - 1 - suffix
      suffix += 1
    }
    let o = Array(old[prefix..<(old.count - suffix)])
    let n = Array(new[prefix..<(new.count - suffix)])
    if o.isEmpty || n.isEmpty { return result }
    let width = n.count + 1
    var table = [Int32](repeating: 0, count: (o.count + 1) * width)
    for i in stride(from: o.count - 1, through: 0, by: -1) {
      for j in stride(from: n.count - 1, through: 0, by: -1) {
        table[i * width + j] = o[i] == n[j] ? table[(i + 1) * width + j + 1] + 1 : max(table[(i + 1) * width + j], table[i * width + j + 1])
      }
    }
    var (i, j) = (0, 0)
    while i < o.count, j < n.count {
      if o[i] == n[j] {
        result[prefix + i] = prefix + j
        i += 1
        j += 1
      } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
        i += 1
      } else {
        j += 1
      }
    }
    return result
  }
}
