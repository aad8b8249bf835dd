import Foundation
import RenkeiCore

/// How times and authors read in the agent's and the hub console's output: Japan time, to the
/// minute.
public enum StampText {
  /// `2023-05-30 11:02 JST`: a clock reading in Japan time, to the minute.
  public static func time(_ timestamp: HybridTimestamp) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000)) + " JST"
  }

  /// `田中 (saitama)`: the author and the site of the writer.
  public static func who(_ writer: WriterID, author: String) -> String { "\(author) (\(writer.site))" }

  /// A record's title-like field, for one-line listings.
  public static func title(of state: RecordState, kind: RecordKind) -> String {
    let value: FieldValue
    switch kind {
    case .event: value = state["title"]
    case .note: value = state["topic"]
    case .fundEntry: value = state["programme"]
    }
    if case .string(let text) = value { return text }
    return ""
  }
}
