import Foundation
import Testing

/// The ledger is append-only, so there is no `fund edit` or `fund delete`; staff who type
/// one are told why and what to use instead, and nothing is written.
extension AgentCommandTests {
  @Test func fundEditAndDeleteSayTheLedgerIsCorrectedInstead() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let entry = try sandbox.ok(
      directory, "fund", "add", "--programme", Self.programme, "--kind", "deposit", "--amount", "100万", "--on", "2023-05-30")
    for (word, done) in [("edit", "edited"), ("delete", "deleted")] {
      expectUsageError(
        try sandbox.run(["--dir", directory, "fund", word, entry, "--amount", "90万"]),
        "Unknown subcommand '\(word)': fund entries are never \(done), so no yen is lost or counted twice; "
          + "put a mistake right with renkei fund correct ENTRY --amount DIFFERENCE",
        command: "renkei fund")
    }
    #expect(try sandbox.ok(directory, "status").contains("to push:       1 change"))
  }
}
