import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// Text reaches the hub in normal form, LF line endings included, so every site stores the same.
@Suite struct HubLineEndingTests {
  func replica(_ site: String = "saitama", _ scope: String = "11") throws -> Replica {
    try Replica.create(at: ":memory:", site: SiteID(rawValue: site)!, scope: Scope(scope), author: site)
  }

  func noteFields(body: String) -> RecordFields {
    [
      "scope": .string("11"), "held_on": .string("2023-06-12"), "topic": .text("ヒアリング"), "body": .string(body),
      "attendees": .strings([]), "follow_ups": .string(""), "status": .string("draft"), "fiscal_year": .integer(2023),
    ]
  }

  /// A change decoded from JSON arrives in normal form, CR LF included: an older agent's
  /// push with a Windows body is accepted and stored with LF, as every site stores it.
  @Test func aBodyWithCRLFSentAsJSONIsStoredWithLF() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica()
    let created = try saitama.create(.note, fields: noteFields(body: "一行目\n二行目\n"))
    var json = try CanonicalJSON.encode(try saitama.pendingChanges())
    json = json.replacingOccurrences(of: #"一行目\n二行目\n"#, with: #"一行目\r\n二行目\r\n"#)
    #expect(json.contains(#"\r\n"#))
    let sent = try CanonicalJSON.decode([Change].self, from: json)
    #expect(try hub.push(sent, from: saitama.site, scope: saitama.scope).acknowledgedSequence == 1)
    #expect(try hub.record(created.recordID)?.state["body"] == .string("一行目\n二行目\n"))
  }

  /// A hub that stored a change while CR LF was still kept recognises it, delivered again
  /// in normal form, as the same change, not as a reused epoch.
  @Test func aChangeStoredWithCRLFBeforeIsTheSameChangeDeliveredAgain() throws {
    let file = try ScratchHubFile("crlf")
    defer { file.remove() }
    let hub = try Hub(path: file.path)
    let saitama = try replica()
    try saitama.create(.note, fields: noteFields(body: "一行目\n二行目\n"))
    let pending = try saitama.pendingChanges()
    #expect(try hub.push(pending, from: saitama.site, scope: saitama.scope).applied == 1)
    // The body as an older hub stored it (in JSON, a line feed is written \n).
    let older = try Database(path: file.path)
    try older.execute(#"UPDATE changes SET body = replace(body, '\n', '\r\n')"#)
    let stored = try older.prepare("SELECT body FROM changes").firstRow()?.string(0)
    #expect(stored?.contains(#"一行目\r\n二行目\r\n"#) == true, "\(stored ?? "")")
    let again = try hub.push(pending, from: saitama.site, scope: saitama.scope)
    #expect(again.applied == 0 && again.acknowledgedSequence == 1)
    // A change that really differs under that number is still refused.
    var other = pending
    other[0].fields["topic"] = .string("別の議題")
    let error = #expect(throws: HubError.self) { try hub.push(other, from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .epochReused)
  }

  /// A change built in memory with CR LF is not in normal form, and the hub says so.
  @Test func aChangeNotInNormalFormIsRefusedNamingTheField() throws {
    let hub = try Hub(path: ":memory:")
    let saitama = try replica()
    try saitama.create(.note, fields: noteFields(body: "一行目\n"))
    var pending = try saitama.pendingChanges()
    pending[0].fields["body"] = .string("一行目\r\n")
    let error = #expect(throws: HubError.self) { try hub.push(pending, from: saitama.site, scope: saitama.scope) }
    #expect(error?.code == .invalidChange)
    #expect(error?.message.contains(#"writes body = "一行目\r\n", but its normal form is "一行目\n""#) == true, "\(error?.message ?? "")")
    #expect(try hub.allRecords().isEmpty)
  }
}
