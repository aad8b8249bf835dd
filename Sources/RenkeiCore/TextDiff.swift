/// A unified diff of two texts, line by line, as `diff -u` prints it (without file headers):
/// how a conflict's side changed a hearing note's body from the base.
public enum TextDiff {
  /// The hunks of the diff from `old` to `new`, with `context` unchanged lines around
  /// each change; empty when the texts are equal.
  /// - Complexity: O(n·m) in the numbers of lines, fine for notes of a few hundred lines.
  public static func unified(from old: String, to new: String, context: Int = 3) -> String {
    let a = lines(old)
    let b = lines(new)
    let script = editScript(a, b)
    guard script.contains(where: { $0.kind != .same }) else { return "" }

    var output: [String] = []
    var index = 0
    while index < script.count {
      guard let firstChange = script[index...].firstIndex(where: { $0.kind != .same }) else { break }
      let start = max(firstChange - context, index)
      var end = firstChange
      // Extend the hunk while the next change is within 2×context unchanged lines.
      while true {
        guard let next = script[(end + 1)...].firstIndex(where: { $0.kind != .same }) else {
          end = min(end + context, script.count - 1)
          break
        }
        if next - end - 1 <= 2 * context {
          end = next
        } else {
          end = min(end + context, script.count - 1)
          break
        }
      }
      let hunk = script[start...end]
      let oldStart = (hunk.first?.oldLine ?? 0)
      let newStart = (hunk.first?.newLine ?? 0)
      let oldCount = hunk.filter { $0.kind != .insert }.count
      let newCount = hunk.filter { $0.kind != .delete }.count
      output.append("@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@")
      for step in hunk {
        switch step.kind {
        case .same: output.append(" " + step.text)
        case .delete: output.append("-" + step.text)
        case .insert: output.append("+" + step.text)
        }
      }
      index = end + 1
    }
    return output.joined(separator: "\n") + "\n"
  }

  struct Step {
    enum Kind { case same, delete, insert }
    var kind: Kind
    var text: String
    /// Lines of each side before this step (0-based positions).
    var oldLine: Int
    var newLine: Int
  }

  static func lines(_ text: String) -> [String] {
    var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if result.last == "" { result.removeLast() }
    return result
  }

  static func editScript(_ a: [String], _ b: [String]) -> [Step] {
    // Longest common subsequence table, from the end, so the walk below goes forward.
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var steps: [Step] = []
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        steps.append(Step(kind: .same, text: a[i], oldLine: i, newLine: j))
        i += 1
        j += 1
      } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
        // Deletions before insertions, as diff -u prints a replaced line.
        steps.append(Step(kind: .delete, text: a[i], oldLine: i, newLine: j))
        i += 1
      } else {
        steps.append(Step(kind: .insert, text: b[j], oldLine: i, newLine: j))
        j += 1
      }
    }
    return steps
  }
}
