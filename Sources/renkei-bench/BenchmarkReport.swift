import Foundation
import RenkeiStore

/// Every workload's figures, printed as an aligned table or as one JSON object.
struct BenchmarkReport: Sendable {
  let options: BenchmarkOptions
  var workloads: [WorkloadReport] = []
  var totalWallSeconds: Double = 0
  /// The machine's one-minute load average when the run started and ended: on a shared
  /// machine, how much else was running.
  var loadAverageAtStart: Double?
  var loadAverageAtEnd: Double?

  var processors: Int { ProcessInfo.processInfo.activeProcessorCount }

  var table: String {
    var lines = [
      "renkei-bench: seed \(options.seed), \(options.quick ? "quick (a tenth of full size)" : "full size"), \(processors) CPUs, SQLite \(Database.sqliteVersion), total \(Figure.decimal(totalWallSeconds, places: 1)) s, load average \(Self.text(loadAverageAtStart)) at start, \(Self.text(loadAverageAtEnd)) at end"
    ]
    let labelWidth = max(40, workloads.flatMap(\.figures).map(\.label.count).max() ?? 0)
    let valueWidth = max(12, workloads.flatMap(\.figures).map(\.text.count).max() ?? 0)
    for workload in workloads {
      lines.append("")
      lines.append("\(workload.name.rawValue): \(workload.summary)")
      for figure in workload.figures {
        let label = figure.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
        let value = String(repeating: " ", count: max(0, valueWidth - figure.text.count)) + figure.text
        lines.append("  \(label)  \(value) \(figure.unit.rawValue)")
      }
      for note in workload.notes { lines.append("  note: \(note)") }
    }
    return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n")
  }

  /// `{"seed": …, "quick": …, "workloads": {"merge": {"wall_seconds": …, …}, …}, …}`: every
  /// figure a number (null when it could not be measured); notes kept apart, as text.
  var json: String {
    var members = [
      "\"seed\": \(options.seed)", "\"quick\": \(options.quick)", "\"cpus\": \(processors)",
      "\"sqlite\": \(Self.quoted(Database.sqliteVersion))", "\"total_wall_seconds\": \(Figure("", "", totalWallSeconds, .seconds).json)",
      "\"load_average_start\": \(Figure("", "", loadAverageAtStart, .ratio).json)",
      "\"load_average_end\": \(Figure("", "", loadAverageAtEnd, .ratio).json)",
    ]
    let workloadMembers = workloads.map { workload in
      let figures = workload.figures.map { "      \(Self.quoted($0.key)): \($0.json)" }.joined(separator: ",\n")
      return "    \(Self.quoted(workload.name.rawValue)): {\n\(figures)\n    }"
    }
    members.append("\"workloads\": {\n\(workloadMembers.joined(separator: ",\n"))\n  }")
    let notes = workloads.filter { !$0.notes.isEmpty }.map { workload in
      "    \(Self.quoted(workload.name.rawValue)): [\(workload.notes.map(Self.quoted).joined(separator: ", "))]"
    }
    members.append("\"notes\": {\n\(notes.joined(separator: ",\n"))\n  }")
    return "{\n  " + members.joined(separator: ",\n  ") + "\n}"
  }

  /// The one-minute load average, from `/proc/loadavg`.
  static func loadAverage() -> Double? {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
  }

  private static func text(_ value: Double?) -> String { value.map { Figure.decimal($0, places: 2) } ?? "n/a" }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
