import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiTestSupport
import Testing

/// Ids in paths sent percent-encoded, over real loopback HTTP on the conflict review suite's
/// hub: an escaped unreserved character is the character (RFC 3986 §2.3), so the record's
/// history and the conflict answer as they do to the plain path; any other escape names
/// nothing the hub holds, and is refused whole.
@Suite struct PercentEncodedPathTests {
  let review = ConflictReviewAPITests()

  /// Every byte of `text` as an escape, with lower-case hexadecimal digits.
  static func escapingEverything(_ text: String) -> String {
    text.utf8.map { "%" + String($0, radix: 16) }.joined()
  }

  /// A decision taking the bureau's side of conflict `id`, as the administrator's console sends it.
  static func decision(of id: Int64, on hub: ConflictReviewAPITests.TestHub) throws -> Data {
    let revision = try hub.conflict(id).revision
    let choice = ResolutionChoice.take(SiteID(rawValue: "kanto")!)
    return try JSONEncoder().encode(ResolveRequest(revision: revision, reason: "局の会場", choice: choice))
  }

  @Test func anIdOrRouteSentPercentEncodedIsAnsweredAsThePlainOne() throws {
    try review.withHub { hub in
      let made = try review.venueConflict(in: hub)
      let record = made.record.rawValue
      let plain = try hub.get("/v1/records/\(record)/history", as: "saitama")
      try #require(plain.status == 200, "\(plain.text)")
      // What Foundation sends for a path component encoded with `.alphanumerics`.
      let alphanumerics = try #require(record.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
      #expect(alphanumerics.contains("%2D"))
      for target in [
        "/v1/records/\(alphanumerics)/history", "/v1/records/\(Self.escapingEverything(record))/history",
        "/%76%31/records/\(record)/%68istory",
      ] {
        let answer = try hub.get(target, as: "saitama")
        #expect(answer.status == 200 && answer.text == plain.text, "\(target): \(answer.text)")
      }

      let conflict = try hub.get("/v1/conflicts/\(made.id)")
      try #require(conflict.status == 200, "\(conflict.text)")
      let escapedID = Self.escapingEverything(String(made.id))
      #expect(try hub.get("/v1/conflicts/\(escapedID)").text == conflict.text)
      // Deciding goes through the escaped path too, and reads as the plain one would.
      let body = try Self.decision(of: made.id, on: hub)
      let decided = try hub.request(
        "POST", "/v1/conflicts/\(escapedID)/resolve", authorization: hub.bearer("kanto-admin"), body: Array(body))
      #expect(decided.status == 200, "\(decided.text)")
      #expect(try hub.conflict(made.id).status == "resolved")
      let audited = try hub.audit("?record=\(record)").filter { $0.action == "resolve" }
      #expect(audited.count == 1, "\(audited)")
    }
  }

  /// `escape` is what the refusal names, nil for the server's own refusals (a `%` without two
  /// hexadecimal digits, a segment that is not UTF-8), which come before any route and are not
  /// audited.
  @Test(
    arguments: [
      ("/v1/conflicts/ID%2F/resolve", "%2F"), ("/v1/conflicts/ID%2f/resolve", "%2F"),
      ("/v1/conflicts/%20ID/resolve", "%20"), ("/v1/conflicts/ID%C3%A9/resolve", "%C3%A9"),
      ("/v1/conflicts/ID%2500/resolve", "%25"), ("/v1/conflicts/ID/resolve%00", "%00"),
      ("/v1/conflicts/ID/\(String(repeating: "%2F", count: 200))", "%2F%2F%2F%2F…"),
      ("/v1/conflicts/%/resolve", nil), ("/v1/conflicts/%G1/resolve", nil), ("/v1/conflicts/ID%FF/resolve", nil),
    ] as [(String, String?)])
  func anyOtherEscapeIs400AndChangesNothing(target: String, escape: String?) throws {
    try review.withHub { hub in
      let made = try review.venueConflict(in: hub)
      let before = try hub.snapshot(of: made.id)
      let body = try Self.decision(of: made.id, on: hub)
      let path = target.replacingOccurrences(of: "ID", with: String(made.id))
      let refused = try hub.request("POST", path, authorization: hub.bearer("kanto-admin"), body: Array(body))
      review.expectError(refused, 400, "bad-request")
      let message = (try? refused.decode(WireError.self))?.error.message ?? ""
      if let escape {
        #expect(message.contains("percent-encodes \(escape), which no path of the hub holds"), "\(message)")
        if path.utf8.count <= 200 {
          #expect(message.contains(path), "the path as sent: \(message)")
        } else {
          // A long path, and its escapes, are cut where the message names them.
          #expect(message.utf8.count < 400, "\(message)")
        }
      }
      #expect(try hub.snapshot(of: made.id) == before.refused(escape == nil ? 0 : 1))
      #expect(try hub.conflict(made.id).status == "open")
    }
  }
}
