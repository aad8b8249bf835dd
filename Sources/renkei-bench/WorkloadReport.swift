/// What one workload measured: its figures in the order the table shows them, and notes
/// a reader needs to interpret them (what was reused, what could not be measured).
struct WorkloadReport: Sendable {
  let name: WorkloadName
  /// One line saying what ran, with the sizes actually used.
  let summary: String
  var figures: [Figure] = []
  var notes: [String] = []

  init(_ name: WorkloadName, summary: String) {
    self.name = name
    self.summary = summary
  }

  mutating func add(_ figure: Figure) { figures.append(figure) }

  mutating func add(_ key: String, _ label: String, _ value: Double?, _ unit: Figure.Unit) {
    figures.append(Figure(key, label, value, unit))
  }

  mutating func note(_ text: String) { notes.append(text) }
}
