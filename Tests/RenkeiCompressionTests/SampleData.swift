import Testing
import RenkeiTestSupport

/// Inputs of the shapes the compressor meets or must survive, each from a seed.
enum SampleData {
  enum Shape: String, CaseIterable, CustomTestStringConvertible {
    case random, structured, repetitive, zeros
    var testDescription: String { rawValue }
  }

  static func make(_ shape: Shape, count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    switch shape {
    case .random:
      return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    case .structured:
      return Array(changeLog(&generator, atLeast: count).prefix(count))
    case .repetitive:
      let motif = (0..<7).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      return (0..<count).map { motif[$0 % motif.count] }
    case .zeros:
      return [UInt8](repeating: 0, count: count)
    }
  }

  /// JSON shaped like a push: the same keys, sites and authors over and over, with
  /// varying identifiers, counters and Japanese text.
  static func changeLog(_ generator: inout SplitMix64, atLeast count: Int) -> [UInt8] {
    let sites = ["pref-11", "pref-13", "pref-14", "bureau"]
    let titles = ["地域包括ケア推進会議", "在宅医療研修会", "介護人材確保セミナー", "事例検討会"]
    var text = "{\"changes\":["
    var sequence = 1
    while text.utf8.count < count {
      let site = sites[generator.below(sites.count)]
      let record = String(generator.next(), radix: 16)
      text += """
        {"origin":"\(site)","sequence":\(sequence),"kind":"event","id":"\(record)",\
        "fields":{"title":"\(titles[generator.below(titles.count)])","participants":\(generator.below(200))},\
        "vector":{"\(site)":\(sequence),"hub":\(generator.below(9999))},"author":"staff-\(generator.below(20))",\
        "timestamp":"2026-11-\(10 + generator.below(19))T0\(generator.below(10)):\(10 + generator.below(50)):00Z"},
        """
      sequence += 1
    }
    return Array((text + "]}").utf8)
  }
}
