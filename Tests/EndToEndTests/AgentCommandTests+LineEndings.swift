import Foundation
import Testing

/// A body saved with Windows line endings is stored, and sent, with LF.
extension AgentCommandTests {
  @Test func aBodyWrittenWithCRLFIsStoredAndSentWithLF() throws {
    let sandbox = try AgentSandbox()
    let directory = try sandbox.replica("saitama", scope: "11")
    let crlf = try sandbox.file("windows.txt", "1. 開会\r\n2. 報告\r\n")
    let id = try sandbox.ok(directory, "note", "add", "--topic", "ヒアリング", "--held-on", "2023-06-12", "--body-file", crlf)
    let body = { try sandbox.json(JSONRecord.self, directory, "note", "show", id, "--json").fields["body"] }
    #expect(try body() == .string("1. 開会\n2. 報告\n"))

    // The same text saved again with CR LF, or with lone CRs, is no change.
    #expect(try sandbox.ok(directory, "note", "edit", id, "--body-file", crlf) == "no change: note \(id) already holds these values")
    let mac = try sandbox.file("mac.txt", "1. 開会\r2. 報告\r")
    #expect(try sandbox.ok(directory, "note", "edit", id, "--body-file", mac) == "no change: note \(id) already holds these values")
    // Nor is an editor that saves the body back with CR LF.
    let windowsEditor = try sandbox.script("crlf.sh", "sed -i 's/$/\\r/' \"$1\"")
    #expect(
      try sandbox.ok(directory, "note", "edit", id, environment: ["EDITOR": windowsEditor])
        == "no change: note \(id) has the same body as before; nothing written")
    // An edit saved with CR LF changes only the line it changes.
    let edited = try sandbox.script("edit.sh", "printf '1. 開会（10時）\\r\\n2. 報告\\r\\n' > \"$1\"")
    #expect(try sandbox.ok(directory, "note", "edit", id, environment: ["EDITOR": edited]) == "edited note \(id): body")
    #expect(try body() == .string("1. 開会（10時）\n2. 報告\n"))
    #expect(try sandbox.ok(directory, "log", id).split(separator: "\n").filter { $0.contains("[not yet pushed]") }.count == 2)

    // What leaves the replica, and what another office receives through the hub, is LF.
    let hub = sandbox.root + "/hub"
    try FileManager.default.createDirectory(atPath: hub, withIntermediateDirectories: true)
    var replicas: [String: String] = [:]
    for (site, role, scope) in [("saitama", "prefecture", "11"), ("kanto", "bureau", "kanto-shinetsu")] {
      let added = try ProcessRunner.run("renkei-hub", ["--dir", hub, "site", "add", site, "--role", role, "--scope", scope])
      try #require(added.status == 0, "\(added.stderr)")
      let token = try sandbox.file("\(site).token", added.stdout)
      replicas[site] = sandbox.root + "/hub-" + site
      let created = try sandbox.run([
        "--dir", replicas[site]!, "init", "--site", site, "--hub", AgentSandbox.hub, "--token-file", token, "--scope", scope,
        "--author", "田中",
      ])
      try #require(created.status == 0, "\(created.stderr)")
    }
    let note = try sandbox.ok(replicas["saitama"]!, "note", "add", "--topic", "ヒアリング", "--held-on", "2023-06-12", "--body-file", crlf)
    for site in ["saitama", "kanto"] {
      let bundle = sandbox.root + "/\(site).bundle"
      try sandbox.ok(replicas[site]!, "bundle", "export", bundle)
      if site == "saitama" {
        let sent = try String(contentsOfFile: bundle, encoding: .utf8)
        #expect(sent.contains(#"1. 開会\n2. 報告\n"#) && !sent.contains(#"\r"#), "the bundle carries the body with LF")
      }
      let applied = try ProcessRunner.run("renkei-hub", ["--dir", hub, "bundle", "import", bundle])
      try #require(applied.status == 0, "\(applied.stderr)")
      try sandbox.ok(replicas[site]!, "bundle", "import", bundle + ".reply")
    }
    let received = try sandbox.json(JSONRecord.self, replicas["kanto"]!, "note", "show", note, "--json")
    #expect(received.fields["body"] == .string("1. 開会\n2. 報告\n"))
  }
}
