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
  /// What `--json` prints: the hub's answer (its last `--limit` entries), and the edits still
  /// waiting here.
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
    let waiting = try LogCommand.entries(of: replica, for: id).filter { !$0.pushed }
    var page: RecordHistoryPage
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
      let advice =
        waiting.isEmpty
        ? "check the id (renkei event list, renkei note list)" : "it was made here and reaches the hub with the next renkei sync"
      throw AgentError(.unknownRecord, "the hub holds no record \(id) in this replica's scope; \(advice)")
    }
    let total = page.entries.count
    page.entries = Array(page.entries.suffix(limit))
    if json {
      print(try RecordDocument.json(Document(hub: page, omitted: total - page.entries.count, notYetPushed: waiting)))
      return
    }
    for line in RecordHistoryText.lines(page, mark: { $0.stamp.writer.site == replica.site ? "  [this replica]" : "" }) {
      print(line)
    }
    for entry in waiting {
      let fields = entry.operation == .delete ? "" : " " + entry.fields.joined(separator: ", ")
      print("\(entry.time)  \(entry.author) (\(entry.writer.site))  \(entry.operation.rawValue)\(fields)  [not yet pushed]")
    }
    let shown = page.entries.count == total ? "\(total) edit\(total == 1 ? "" : "s")" : "the last \(page.entries.count) of \(total) edits"
    print("now: \(page.deleted ? "deleted" : "live") at the hub, \(shown) shown")
  }
}
