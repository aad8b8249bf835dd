import Foundation
import RenkeiCore
import RenkeiHTTP
import RenkeiHub
import RenkeiStore
import Testing

/// A hub whose disk is full answers a push with a server error that says so (staff pass it
/// on to the bureau), and stores nothing of it.
@Suite struct HubFullDiskTests {
  @Test func aPushIntoAFullDiskSaysSoAndStoresNothing() throws {
    let scratch = try ScratchHubFile("full")
    defer { scratch.remove() }
    let path = scratch.path
    let hub = try Hub(path: path)
    let token = try hub.addSite(SiteID(rawValue: "saitama")!, role: .prefecture, scope: Scope("11"))
    // The file may not grow by a page: to SQLite, as to a push, the disk is full.
    let pages = try #require(try hub.database.prepare("PRAGMA page_count").firstRow()).int64(0)
    try hub.database.execute("PRAGMA max_page_count = \(pages)")
    let service = HubService(hub: hub)

    let saitama = try Replica.create(at: ":memory:", site: SiteID(rawValue: "saitama")!, scope: Scope("11"), author: "saitama")
    let note = String(repeating: "地域包括ケアの研修記録。", count: 400)
    for index in 0..<20 {
      try saitama.create(
        .event,
        fields: [
          "scope": .string("11"), "kind": .string("seminar"), "title": .text("研修\(index)"), "starts_on": .string("2023-07-06"),
          "notes": .text(note),
        ])
    }
    func push() throws -> HTTPResponse {
      let body = try JSONEncoder().encode(PushRequest(changes: try saitama.pendingChanges()))
      let request = try #require(
        HTTPRequest(
          method: .post, target: "/v1/push",
          headers: ["Authorization": "Bearer \(token.text)", "Content-Type": "application/json", "Content-Length": String(body.count)],
          body: Array(body)))
      return service.respond(to: request)
    }

    let refused = try push()
    #expect(refused.status.code == 500)
    let text = String(decoding: refused.body, as: UTF8.self)
    #expect(text.contains("the disk is full") && text.contains("Nothing of this request was stored"), "\(text)")
    let other = try Database(path: path)
    defer { other.close() }
    #expect(try other.prepare("SELECT count(*) FROM changes").firstRow()?.int64(0) == 0)
    #expect(try other.prepare("SELECT count(*) FROM records").firstRow()?.int64(0) == 0)
  }
}
