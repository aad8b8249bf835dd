import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import RenkeiTestSupport
import Testing

/// `GET /v1/records/{id}/history` over real loopback HTTP, on the conflict review suite's
/// hub: who changed a record, when, and which fields, as the hub holds it — for any token
/// that may pull the record, and for nobody else.
@Suite struct RecordHistoryAPITests {
  let review = ConflictReviewAPITests()

  func history(_ hub: ConflictReviewAPITests.TestHub, _ record: RecordID, as site: String) throws -> RecordHistoryPage {
    let response = try hub.get("/v1/records/\(record)/history", as: site)
    try #require(response.status == 200, "\(response.text)")
    return try response.decode(RecordHistoryPage.self)
  }

  @Test func concurrentEditsEachShowOnlyTheFieldsTheirWriterChanged() throws {
    try review.withHub { hub in
      let made = try review.venueConflict(in: hub, titleToo: true)
      // Saitama then edits the provisional version, and the administrator decides.
      try made.saitama.update(made.record, fields: ["participants": .integer(40)])
      try hub.push(made.saitama)
      let conflict = try hub.conflict(made.id)
      let decided = try hub.resolve(made.id, revision: conflict.revision, .take(SiteID(rawValue: "kanto")!), reason: "局の会場")
      try #require(decided.status == 200, "\(decided.text)")
      // Taking the bureau's side decides the fields that collided; Saitama's later edit of a
      // field nobody contested stays.
      let version = try decided.decode(ConflictReviewAPITests.ResolveAnswer.self).version
      #expect(version.state["participants"] == .integer(40) && version.state["venue"] == .text("さいたま市民会館"))

      let page = try history(hub, made.record, as: "saitama")
      let saitamaScope = try Scope("11")
      #expect(page.recordID == made.record && page.kind == .event && page.scope == saitamaScope)
      #expect(!page.deleted && page.complete)
      let lines = page.entries.map { "\($0.stamp.writer.site) \($0.operation.rawValue) \($0.fields?.joined(separator: ",") ?? "?")" }
      #expect(
        lines
          == [
            "kanto create fiscal_year,kind,scope,starts_on,status,title", "kanto update title,venue", "saitama update title,venue",
            "saitama update participants", "kanto-admin resolve title,venue",
          ], "\(lines)")
      #expect(page.entries.map(\.stamp) == page.entries.map(\.stamp).sorted(), "oldest first")
      #expect(page.entries[0].stamp.author == "kanto")
      // The bureau and its administrator read the same history.
      #expect(try history(hub, made.record, as: "kanto") == page)
      #expect(try history(hub, made.record, as: "kanto-admin") == page)
    }
  }

  @Test func aDeletionIsListedAndTheRecordShowsAsDeleted() throws {
    try review.withHub { hub in
      let saitama = try review.replica("saitama", "11")
      let record = try saitama.create(.event, fields: review.event("11", "地域ケア会議")).recordID
      try saitama.delete(record)
      try hub.push(saitama)
      let page = try history(hub, record, as: "saitama")
      #expect(page.deleted)
      #expect(page.entries.map(\.operation) == [.create, .delete])
      #expect(page.entries.last?.fields == [], "a deletion changes no field")
    }
  }

  @Test func aDecisionThatDeletesIsListedAsTheDeleteItIs() throws {
    try review.withHub { hub in
      let kanto = try review.replica("kanto", "kanto-shinetsu")
      let record = try kanto.create(.event, fields: review.event("11", "在宅医療研修")).recordID
      try hub.push(kanto)
      let saitama = try review.replica("saitama", "11")
      let page = try hub.pull(as: "saitama")
      try saitama.apply(page.entries, cursor: page.cursor)
      try saitama.delete(record)
      try kanto.update(record, fields: ["venue": .text("さいたま市民会館")])
      try hub.push(saitama)
      let conflict = try #require(try hub.push(kanto).conflicts.first)
      let decided = try hub.resolve(
        conflict, revision: try hub.conflict(conflict).revision, .take(SiteID(rawValue: "saitama")!), reason: "中止")
      try #require(decided.status == 200, "\(decided.text)")

      let history = try history(hub, record, as: "saitama")
      let lines = history.entries.map { "\($0.stamp.writer.site) \($0.operation.rawValue) \($0.fields?.joined(separator: ",") ?? "?")" }
      #expect(lines.last == "kanto-admin delete ", "\(lines)")
      #expect(history.deleted && lines.count == 4, "\(lines)")
    }
  }

  @Test func aBureauRecordsHistoryIsReadByItsPrefecturesAndNotByAnotherBureau() throws {
    try review.withHub { hub in
      let kanto = try review.replica("kanto", "kanto-shinetsu")
      let record = try kanto.create(.event, fields: review.event("kanto-shinetsu", "関東信越ブロック会議")).recordID
      try hub.push(kanto)
      for site in ["saitama", "yamanashi", "kanto", "kanto-admin"] {
        #expect(try history(hub, record, as: site).entries.map(\.operation) == [.create], "\(site)")
      }
      review.expectError(try hub.get("/v1/records/\(record)/history", as: "tohoku-admin"), 404, "not-found")
    }
  }

  @Test func anotherScopesRecordIsNotFoundLikeAnUnknownOneAndBadIdsAreRefused() throws {
    try review.withHub { hub in
      let saitama = try review.replica("saitama", "11")
      let record = try saitama.create(.event, fields: review.event("11", "地域ケア会議")).recordID
      try hub.push(saitama)
      let before = try hub.counts()
      let hidden = try hub.get("/v1/records/\(record)/history", as: "yamanashi")
      review.expectError(hidden, 404, "not-found")
      let unknown = try hub.get("/v1/records/\(try RecordID("unknown-record-1"))/history", as: "yamanashi")
      review.expectError(unknown, 404, "not-found")
      let hiddenMessage = review.message(hidden).replacingOccurrences(of: record.rawValue, with: "ID")
      let unknownMessage = review.message(unknown).replacingOccurrences(of: "unknown-record-1", with: "ID")
      #expect(hiddenMessage == unknownMessage, "the answers tell the two apart")
      review.expectError(try hub.get("/v1/records/not%20an%20id/history", as: "saitama"), 400, "bad-request")
      review.expectError(try hub.request("GET", "/v1/records/\(record)/history", authorization: nil), 401, "unauthorized")
      review.expectError(
        try hub.request("POST", "/v1/records/\(record)/history", authorization: hub.bearer("saitama")), 405, "method-not-allowed")
      // A long path is cut where the refusal names it, as every message does.
      let long = try hub.request(
        "POST", "/v1/records/\(String(repeating: "a", count: 4_000))/history", authorization: hub.bearer("saitama"))
      review.expectError(long, 405, "method-not-allowed")
      #expect(review.message(long).utf8.count < 400, "\(review.message(long))")
      let after = try hub.counts()
      #expect(after.refusals == before.refusals + 6, "each refusal is audited")
      var rest = after
      rest.refusals = before.refusals
      #expect(rest == before, "a refused history request stored something")
    }
  }
}
