import Foundation
import RenkeiCommandLine
import RenkeiCore
import RenkeiReports
import RenkeiStore

/// `renkei log ID --hub`: every edit of one record the hub holds, from every site, then this
/// replica's edits of it that the hub has not received yet.
///
/// A replica keeps only its own change log and each record's current version, so who else
/// changed a record, and which fields, is only at the hub.
enum HubRecordLog {
  /// What `--json` prints: the hub's answer (its last `--limit` entries), and the edits made
  /// here that the hub does not hold yet.
  struct Document: Encodable {
    var hub: RecordHistoryPage
    /// How many of the hub's oldest entries `--limit` left out.
    var omitted: Int
    var notYetPushed: [LogCommand.Entry]

    enum CodingKeys: String, CodingKey {
      case hub, omitted
      case notYetPushed = "not_yet_pushed"
    }
  }

  static func show(_ id: RecordID, limit: Int, json: Bool, replica: Replica, directory: AgentDirectory) async throws {
    let configuration = try AgentConfiguration.load(from: directory)
    let client = HubClient(hub: configuration.hub, token: try AccessTokenFile.read(from: AccessTokenFile.path(in: directory)), timeout: 20)
    let log = try replica.localChanges(for: id)
    let page: RecordHistoryPage
    do {
      page = try await client.history(of: id)
    } catch let failure as AgentError where failure.code == .hubUnreachable {
      // Offline is the usual state of a laptop: say what still works without the hub.
      throw AgentError(.hubUnreachable, failure.message + "; without the hub, renkei log \(id) shows this laptop's edits of the record")
    } catch let refusal as HubRefusal where refusal.status == 404 && !refusal.isFromAnotherServer {
      if refusal.error.message.hasPrefix("no route") {
        throw AgentError(
          .refused,
          "the hub at \(configuration.hub.absoluteString) does not keep record histories (it runs an older Renkei); ask the bureau to update it"
        )
      }
      let waiting = try LogCommand.entries(of: replica, changes: log).filter { !$0.pushed }
      let advice =
        waiting.isEmpty
        ? "check the id (renkei event list, renkei note list)" : "it was made here and reaches the hub with the next renkei sync"
      throw AgentError(.unknownRecord, "the hub holds no record \(id) in this replica's scope; \(advice)")
    }
    let document = try Self.document(page, limit: limit, log: log, replica: replica)
    if json {
      print(try RecordDocument.json(document))
      return
    }
    for line in Self.lines(document, log: log, site: replica.site) {
      print(line)
    }
  }

  /// What the command shows: the last `limit` of the hub's entries, and this replica's edits
  /// of the record (`log`, all of them, oldest first) that the hub does not hold yet.
  ///
  /// An edit waits until the hub acknowledges it, but the hub may hold one whose
  /// acknowledgement never came back (the connection dropped after the hub committed, or a
  /// bundle's reply is not imported yet): the hub's whole page, not only the entries
  /// `limit` keeps, says which edits it holds, and those are not waiting.
  ///
  /// An edit and the hub's entry for it share the edit's stamp (writer, author and hybrid
  /// time), which tells apart even two copies of one site writing the same vector, as a copy
  /// restored from a backup does until its next sync gives it a new epoch. The vector is not
  /// compared: the hub keeps the stamp but not always the vector (an edit of a compacted
  /// record is kept under a merged one).
  static func document(_ page: RecordHistoryPage, limit: Int, log: [Change], replica: Replica) throws -> Document {
    let held = Set(page.entries.map(\.stamp))
    let waiting = zip(log, try LogCommand.entries(of: replica, changes: log)).filter { change, entry in
      !entry.pushed && !held.contains(change.stamp)
    }
    var shown = page
    shown.entries = Array(page.entries.suffix(limit))
    return Document(hub: shown, omitted: page.entries.count - shown.entries.count, notYetPushed: waiting.map(\.1))
  }

  /// The document as lines of text. A hub entry this replica's `log` holds is marked as this
  /// replica's, whatever its epoch: a copy restored from a backup wrote its older edits
  /// itself, and `renkei log ID` lists them as its own. Another entry of this `site` was
  /// written by another copy of its replica (one lost after the backup this one was restored
  /// from, or one this site used before), which staff would not recognise as made here.
  static func lines(_ document: Document, log: [Change], site: SiteID) -> [String] {
    let madeHere = Set(log.map(\.stamp))
    var lines = RecordHistoryText.lines(document.hub) { entry in
      if madeHere.contains(entry.stamp) { return "  [this replica]" }
      return entry.stamp.writer.site == site ? "  [this site, another copy]" : ""
    }
    for entry in document.notYetPushed {
      let fields = entry.operation == .delete ? "" : " " + entry.fields.joined(separator: ", ")
      let who = StampText.who(entry.writer, author: entry.author)
      lines.append("\(entry.time)  \(who)  \(entry.operation.rawValue)\(fields)  [not yet pushed]")
    }
    let (count, total) = (document.hub.entries.count, document.hub.entries.count + document.omitted)
    let shown = count == total ? "\(total) edit\(total == 1 ? "" : "s")" : "the last \(count) of \(total) edits"
    lines.append("now: \(document.hub.deleted ? "deleted" : "live") at the hub, \(shown) shown")
    return lines
  }
}
