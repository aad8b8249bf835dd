/// One measured number, as the table and the JSON show it.
struct Figure: Sendable {
  enum Unit: String, Sendable {
    case count = ""
    case seconds = "s"
    case milliseconds = "ms"
    case microseconds = "µs"
    case perSecond = "/s"
    case ratio = "×"
    case megabytes = "MiB"
    case bytes = "B"
    /// An average count, such as statements run for each change.
    case perChange = "/change"
  }

  /// The JSON member name, snake case with the unit in it: `wall_seconds`.
  let key: String
  /// What the table calls it.
  let label: String
  /// Nil when the machine could not measure it (the JSON then says null).
  let value: Double?
  let unit: Unit

  init(_ key: String, _ label: String, _ value: Double?, _ unit: Unit) {
    self.key = key
    self.label = label
    self.value = value
    self.unit = unit
  }

  static func count(_ key: String, _ label: String, _ value: Int) -> Figure { Figure(key, label, Double(value), .count) }

  static func megabytes(_ key: String, _ label: String, bytes: Int?) -> Figure {
    Figure(key, label, bytes.map { Double($0) / 1_048_576 }, .megabytes)
  }

  /// The value as the table prints it: grouped whole numbers, three significant decimals.
  var text: String {
    guard let value else { return "n/a" }
    switch unit {
    case .count, .bytes: return Self.grouped(Int(value.rounded()))
    case .perSecond: return Self.grouped(Int(value.rounded()))
    case .ratio, .perChange: return Self.decimal(value, places: value < 10 ? 2 : 1)
    case .seconds, .milliseconds, .microseconds, .megabytes:
      return value >= 1000 ? Self.grouped(Int(value.rounded())) : Self.decimal(value, places: value < 10 ? 2 : 1)
    }
  }

  /// The value as JSON writes it: whole numbers without a fraction.
  var json: String {
    guard let value, value.isFinite else { return "null" }
    if unit == .count || unit == .bytes || (value == value.rounded() && abs(value) < 1e15) {
      return String(Int64(value.rounded()))
    }
    return Self.decimal(value, places: value.magnitude < 1 ? 6 : 3)
  }

  static func grouped(_ number: Int) -> String {
    let digits = String(number.magnitude)
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(character)
    }
    return (number < 0 ? "-" : "") + result
  }

  static func decimal(_ value: Double, places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int64(scaled / scale)
    var fraction = String(Int64(abs(scaled) - abs(Double(whole)) * scale))
    while fraction.count < places { fraction = "0" + fraction }
    let sign = value < 0 && whole == 0 ? "-" : ""
    return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
  }
}
