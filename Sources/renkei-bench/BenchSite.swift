import RenkeiCore

/// A site that writes in a workload: its name, scope, writer (epoch 1) and author.
struct BenchSite: Sendable, Hashable {
  let id: SiteID
  let scope: Scope
  let author: String

  var writer: WriterID { WriterID(site: id, epoch: 1) }
  var isBureau: Bool {
    if case .bureau = scope { return true }
    return false
  }

  /// A prefecture's site, named after it (`saitama` for 11).
  static func prefecture(_ code: String) -> BenchSite {
    let prefecture = Prefecture.withCode(code)!
    return BenchSite(
      id: SiteID(rawValue: prefecture.nameEn.lowercased())!, scope: .prefecture(prefecture), author: "\(prefecture.nameJa) 高齢者福祉課")
  }

  /// A bureau's site, named after it (`kanto-shinetsu`).
  static func bureau(_ name: String) -> BenchSite {
    let bureau = Bureau.named(name)!
    return BenchSite(id: SiteID(rawValue: bureau.id)!, scope: .bureau(bureau), author: "\(bureau.nameJa) 地域包括ケア推進課")
  }

  /// 関東信越厚生局's ten prefectures and the bureau itself: every record of them is
  /// readable by one bureau replica.
  static let kantoShinetsu: [BenchSite] =
    ["08", "09", "10", "11", "12", "13", "14", "15", "19", "20"].map(prefecture) + [bureau("kanto-shinetsu")]
}
