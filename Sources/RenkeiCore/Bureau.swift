/// One of the eight regional bureaus of health and welfare (地方厚生局 and 四国厚生支局)
/// and the prefectures each supports.
public struct Bureau: Sendable, Hashable, Identifiable, CustomStringConvertible {
  /// The scope name used in records and tokens, e.g. `kanto-shinetsu`.
  public let id: String
  public let nameJa: String
  public let nameEn: String

  public var description: String { id }

  /// The prefectures this bureau supports, in JIS order.
  public var prefectures: [Prefecture] { Prefecture.all.filter { $0.bureauID == id } }

  /// Finds a bureau by its scope name.
  public static func named(_ id: String) -> Bureau? { all.first { $0.id == id } }

  public static let all: [Bureau] = [
    Bureau(id: "hokkaido", nameJa: "北海道厚生局", nameEn: "Hokkaido"),
    Bureau(id: "tohoku", nameJa: "東北厚生局", nameEn: "Tohoku"),
    Bureau(id: "kanto-shinetsu", nameJa: "関東信越厚生局", nameEn: "Kanto-Shinetsu"),
    Bureau(id: "tokai-hokuriku", nameJa: "東海北陸厚生局", nameEn: "Tokai-Hokuriku"),
    Bureau(id: "kinki", nameJa: "近畿厚生局", nameEn: "Kinki"),
    Bureau(id: "chugoku-shikoku", nameJa: "中国四国厚生局", nameEn: "Chugoku-Shikoku"),
    Bureau(id: "shikoku", nameJa: "四国厚生支局", nameEn: "Shikoku"),
    Bureau(id: "kyushu", nameJa: "九州厚生局", nameEn: "Kyushu"),
  ]
}
