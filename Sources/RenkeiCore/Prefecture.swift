/// A prefecture by its JIS X 0401 code, and the regional bureau that supports it.
public struct Prefecture: Sendable, Hashable, Identifiable, CustomStringConvertible {
  /// The two-digit JIS X 0401 code, e.g. `11` for Saitama.
  public let code: String
  public let nameJa: String
  public let nameEn: String
  public let bureauID: String

  public var id: String { code }
  public var description: String { code }

  public var bureau: Bureau { Bureau.named(bureauID)! }

  /// Finds a prefecture by its two-digit code.
  public static func withCode(_ code: String) -> Prefecture? { byCode[code] }

  private static let byCode: [String: Prefecture] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

  /// All 47 prefectures in JIS order. Okinawa is served by the Kyushu bureau's Okinawa
  /// office and Fukui by the Kinki bureau, as the ministry assigns them.
  public static let all: [Prefecture] = [
    Prefecture(code: "01", nameJa: "北海道", nameEn: "Hokkaido", bureauID: "hokkaido"),
    Prefecture(code: "02", nameJa: "青森県", nameEn: "Aomori", bureauID: "tohoku"),
    Prefecture(code: "03", nameJa: "岩手県", nameEn: "Iwate", bureauID: "tohoku"),
    Prefecture(code: "04", nameJa: "宮城県", nameEn: "Miyagi", bureauID: "tohoku"),
    Prefecture(code: "05", nameJa: "秋田県", nameEn: "Akita", bureauID: "tohoku"),
    Prefecture(code: "06", nameJa: "山形県", nameEn: "Yamagata", bureauID: "tohoku"),
    Prefecture(code: "07", nameJa: "福島県", nameEn: "Fukushima", bureauID: "tohoku"),
    Prefecture(code: "08", nameJa: "茨城県", nameEn: "Ibaraki", bureauID: "kanto-shinetsu"),
    Prefecture(code: "09", nameJa: "栃木県", nameEn: "Tochigi", bureauID: "kanto-shinetsu"),
    Prefecture(code: "10", nameJa: "群馬県", nameEn: "Gunma", bureauID: "kanto-shinetsu"),
    Prefecture(code: "11", nameJa: "埼玉県", nameEn: "Saitama", bureauID: "kanto-shinetsu"),
    Prefecture(code: "12", nameJa: "千葉県", nameEn: "Chiba", bureauID: "kanto-shinetsu"),
    Prefecture(code: "13", nameJa: "東京都", nameEn: "Tokyo", bureauID: "kanto-shinetsu"),
    Prefecture(code: "14", nameJa: "神奈川県", nameEn: "Kanagawa", bureauID: "kanto-shinetsu"),
    Prefecture(code: "15", nameJa: "新潟県", nameEn: "Niigata", bureauID: "kanto-shinetsu"),
    Prefecture(code: "16", nameJa: "富山県", nameEn: "Toyama", bureauID: "tokai-hokuriku"),
    Prefecture(code: "17", nameJa: "石川県", nameEn: "Ishikawa", bureauID: "tokai-hokuriku"),
    Prefecture(code: "18", nameJa: "福井県", nameEn: "Fukui", bureauID: "kinki"),
    Prefecture(code: "19", nameJa: "山梨県", nameEn: "Yamanashi", bureauID: "kanto-shinetsu"),
    Prefecture(code: "20", nameJa: "長野県", nameEn: "Nagano", bureauID: "kanto-shinetsu"),
    Prefecture(code: "21", nameJa: "岐阜県", nameEn: "Gifu", bureauID: "tokai-hokuriku"),
    Prefecture(code: "22", nameJa: "静岡県", nameEn: "Shizuoka", bureauID: "tokai-hokuriku"),
    Prefecture(code: "23", nameJa: "愛知県", nameEn: "Aichi", bureauID: "tokai-hokuriku"),
    Prefecture(code: "24", nameJa: "三重県", nameEn: "Mie", bureauID: "tokai-hokuriku"),
    Prefecture(code: "25", nameJa: "滋賀県", nameEn: "Shiga", bureauID: "kinki"),
    Prefecture(code: "26", nameJa: "京都府", nameEn: "Kyoto", bureauID: "kinki"),
    Prefecture(code: "27", nameJa: "大阪府", nameEn: "Osaka", bureauID: "kinki"),
    Prefecture(code: "28", nameJa: "兵庫県", nameEn: "Hyogo", bureauID: "kinki"),
    Prefecture(code: "29", nameJa: "奈良県", nameEn: "Nara", bureauID: "kinki"),
    Prefecture(code: "30", nameJa: "和歌山県", nameEn: "Wakayama", bureauID: "kinki"),
    Prefecture(code: "31", nameJa: "鳥取県", nameEn: "Tottori", bureauID: "chugoku-shikoku"),
    Prefecture(code: "32", nameJa: "島根県", nameEn: "Shimane", bureauID: "chugoku-shikoku"),
    Prefecture(code: "33", nameJa: "岡山県", nameEn: "Okayama", bureauID: "chugoku-shikoku"),
    Prefecture(code: "34", nameJa: "広島県", nameEn: "Hiroshima", bureauID: "chugoku-shikoku"),
    Prefecture(code: "35", nameJa: "山口県", nameEn: "Yamaguchi", bureauID: "chugoku-shikoku"),
    Prefecture(code: "36", nameJa: "徳島県", nameEn: "Tokushima", bureauID: "shikoku"),
    Prefecture(code: "37", nameJa: "香川県", nameEn: "Kagawa", bureauID: "shikoku"),
    Prefecture(code: "38", nameJa: "愛媛県", nameEn: "Ehime", bureauID: "shikoku"),
    Prefecture(code: "39", nameJa: "高知県", nameEn: "Kochi", bureauID: "shikoku"),
    Prefecture(code: "40", nameJa: "福岡県", nameEn: "Fukuoka", bureauID: "kyushu"),
    Prefecture(code: "41", nameJa: "佐賀県", nameEn: "Saga", bureauID: "kyushu"),
    Prefecture(code: "42", nameJa: "長崎県", nameEn: "Nagasaki", bureauID: "kyushu"),
    Prefecture(code: "43", nameJa: "熊本県", nameEn: "Kumamoto", bureauID: "kyushu"),
    Prefecture(code: "44", nameJa: "大分県", nameEn: "Oita", bureauID: "kyushu"),
    Prefecture(code: "45", nameJa: "宮崎県", nameEn: "Miyazaki", bureauID: "kyushu"),
    Prefecture(code: "46", nameJa: "鹿児島県", nameEn: "Kagoshima", bureauID: "kyushu"),
    Prefecture(code: "47", nameJa: "沖縄県", nameEn: "Okinawa", bureauID: "kyushu"),
  ]
}
