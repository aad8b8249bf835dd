import Foundation
import Testing

/// The administrator's ordinary mistakes with `renkei-hub`: each gets one clear line, a
/// non-zero exit status, no SQLite codes or Swift type names, and changes nothing.
@Suite struct HubAdminMistakeTests {
  final class Scratch {
    let root: String

    init() throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-cli-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func hub(_ directory: String, _ arguments: String...) throws -> ProcessResult {
      try ProcessRunner.run("renkei-hub", ["--dir", root + "/" + directory] + arguments)
    }
  }

  static func expectPlainError(_ result: ProcessResult, contains words: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status != 0, "exit status 0: \(result.stdout)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(words), "\(result.stderr)", sourceLocation: sourceLocation)
    for leak in ["SQLite error", "DecodingError", "Swift.", "RenkeiHub.", "Fatal error"] {
      #expect(!result.stderr.contains(leak), "leaks \(leak): \(result.stderr)", sourceLocation: sourceLocation)
    }
  }

  /// A mistyped `--dir` must not make an empty hub that then reports "no conflicts".
  @Test(arguments: [
    ["conflicts", "list"], ["conflicts", "show", "1"], ["audit"], ["site", "list"], ["site", "revoke", "saitama"],
    ["compact", "--older-than", "365"], ["backup", "--to", "BACKUP"],
  ])
  func aCommandOnADirectoryWithoutAHubSaysSoAndCreatesNothing(_ arguments: [String]) throws {
    let scratch = try Scratch()
    let words = arguments.map { $0 == "BACKUP" ? scratch.root + "/backup.sqlite" : $0 }
    let result = try ProcessRunner.run("renkei-hub", ["--dir", scratch.root + "/hbu"] + words)
    Self.expectPlainError(result, contains: "holds no Renkei hub")
    #expect(!FileManager.default.fileExists(atPath: scratch.root + "/hbu"))
    #expect(!FileManager.default.fileExists(atPath: scratch.root + "/backup.sqlite"))
  }

  @Test func siteAddStartsANewHub() throws {
    let scratch = try Scratch()
    let added = try scratch.hub("new", "site", "add", "saitama", "--role", "prefecture", "--scope", "11")
    #expect(added.status == 0, "\(added.stderr)")
    let listed = try scratch.hub("new", "site", "list")
    #expect(listed.stdout.contains("saitama"))
  }

  @Test func backupAndRestoreRefuseWrongFilesInWordsAndPutNothingInPlace() throws {
    let scratch = try Scratch()
    _ = try scratch.hub("hub", "site", "add", "saitama", "--role", "prefecture", "--scope", "11")
    Self.expectPlainError(try scratch.hub("hub", "backup", "--to", scratch.root + "/missing/backup.sqlite"), contains: "does not exist")

    let replica = scratch.root + "/replica"
    let token = try ProcessRunner.run(
      "renkei-hub", ["--dir", scratch.root + "/hub", "site", "add", "kanto", "--role", "bureau", "--scope", "kanto-shinetsu"])
    try token.stdout.write(toFile: scratch.root + "/kanto.token", atomically: true, encoding: .utf8)
    let created = try ProcessRunner.run(
      "renkei",
      [
        "--dir", replica, "init", "--site", "kanto", "--hub", "http://127.0.0.1:9", "--token-file", scratch.root + "/kanto.token",
        "--scope", "kanto-shinetsu",
      ])
    try #require(created.status == 0, "\(created.stderr)")
    try "not a database".write(toFile: scratch.root + "/notes.txt", atomically: true, encoding: .utf8)
    for (file, words) in [
      (scratch.root + "/nosuch.sqlite", "cannot read"), (scratch.root + "/notes.txt", "not a Renkei hub backup"),
      (replica + "/replica.sqlite", "not a Renkei hub backup"),
    ] {
      Self.expectPlainError(try scratch.hub("restored", "restore", "--from", file), contains: words)
      #expect(!FileManager.default.fileExists(atPath: scratch.root + "/restored/hub.sqlite"), "\(file) was put in place")
    }
  }

  @Test func aMistakenResolutionNamesTheMistakeAndDecidesNothing() throws {
    let setup = try SyncEndToEndTests.Setup()
    _ = try setup.hub.addSite("bureau-admin", role: "admin", scope: "kanto-shinetsu")
    let event = try setup.on("saitama", "event", "add", "--title", "地域ケア会議", "--kind", "council", "--starts-on", "2023-10-05")
    try setup.sync(["saitama", "kanto"])
    _ = try setup.on("saitama", "event", "edit", event, "--venue", "浦和")
    _ = try setup.on("kanto", "event", "edit", event, "--venue", "大宮")
    try setup.sync(["saitama", "kanto"])
    func resolve(_ choice: String...) throws -> ProcessResult {
      try ProcessRunner.run(
        "renkei-hub", ["--dir", setup.hub.directory, "conflicts", "resolve", "1", "--revision", "1"] + choice + ["--reason", "確認済み"])
    }

    Self.expectPlainError(try resolve("--field", "venu=saitama"), contains: "venu is not a field of conflict #1's event")
    for (name, text, why) in [
      ("broken.json", "{not json", "it is not valid JSON"), ("list.json", "[\"venue\"]", "it is not a JSON object"),
      ("nested.json", #"{"venue": {"name": "大宮"}}"#, "venue: a field value must be"),
    ] {
      let file = setup.root + "/" + name
      try text.write(toFile: file, atomically: true, encoding: .utf8)
      let result = try resolve("--edit", file)
      Self.expectPlainError(result, contains: "--edit \(file) must be a JSON object of fields")
      #expect(result.stderr.contains(why), "\(result.stderr)")
      #expect(!result.stderr.contains("Debug description"), "\(result.stderr)")
    }
    let listed = try ProcessRunner.run("renkei-hub", ["--dir", setup.hub.directory, "conflicts", "list"])
    #expect(listed.stdout.contains("#1 ") && !listed.stdout.contains("resolved"), "\(listed.stdout)")
  }

  @Test(arguments: ["yesterday", "令和5年6月1日", "2023/06/01", "06-01", ""])
  func auditSinceRefusesWhatIsNotADate(_ since: String) throws {
    let scratch = try Scratch()
    _ = try scratch.hub("hub", "site", "add", "saitama", "--role", "prefecture", "--scope", "11")
    let result = try scratch.hub("hub", "audit", "--since", since)
    #expect(result.status == 64, "\(result.stdout)")
    #expect(result.stderr.contains("is not a date: write it as 2023-06-01"), "\(result.stderr)")
    #expect(try scratch.hub("hub", "audit", "--since", "2023-06-01").status == 0)
    #expect(try scratch.hub("hub", "audit", "--since", "2023-06-01T09:00:00Z").status == 0)
  }

  /// Revoking does not free a name, so the refusal must not tell the administrator to revoke.
  @Test func addingARegisteredOrRevokedNameSaysWhatToDoInstead() throws {
    let scratch = try Scratch()
    _ = try scratch.hub("hub", "site", "add", "yamanashi", "--role", "prefecture", "--scope", "19")
    let taken = try scratch.hub("hub", "site", "add", "yamanashi", "--role", "prefecture", "--scope", "19")
    Self.expectPlainError(taken, contains: "a site named yamanashi is already registered")
    #expect(taken.stdout.isEmpty, "a token was printed: \(taken.stdout)")
    #expect(try scratch.hub("hub", "site", "revoke", "yamanashi").status == 0)
    let revoked = try scratch.hub("hub", "site", "add", "yamanashi", "--role", "prefecture", "--scope", "19")
    Self.expectPlainError(revoked, contains: "site yamanashi was revoked at")
    #expect(revoked.stderr.contains("yamanashi-2") && !revoked.stderr.contains("revoke it first"), "\(revoked.stderr)")
    #expect(try scratch.hub("hub", "site", "add", "yamanashi-2", "--role", "prefecture", "--scope", "19").status == 0)
  }

  @Test func aBundleWhoseReplyCannotBeWrittenIsNotApplied() throws {
    let scratch = try Scratch()
    let token = try scratch.hub("hub", "site", "add", "saitama", "--role", "prefecture", "--scope", "11")
    try token.stdout.write(toFile: scratch.root + "/saitama.token", atomically: true, encoding: .utf8)
    let replica = scratch.root + "/saitama"
    for arguments in [
      ["init", "--site", "saitama", "--hub", "http://127.0.0.1:9", "--token-file", scratch.root + "/saitama.token", "--scope", "11"],
      ["event", "add", "--title", "研修", "--kind", "training", "--starts-on", "2023-08-01"],
      ["bundle", "export", scratch.root + "/saitama.bundle"],
    ] {
      let result = try ProcessRunner.run("renkei", ["--dir", replica] + arguments)
      try #require(result.status == 0, "\(result.stderr)")
    }
    for reply in [scratch.root + "/missing/saitama.reply", scratch.root] {
      let refused = try scratch.hub("hub", "bundle", "import", scratch.root + "/saitama.bundle", "--reply", reply)
      Self.expectPlainError(refused, contains: "cannot write the reply to \(reply)")
    }
    let applied = try scratch.hub("hub", "bundle", "import", scratch.root + "/saitama.bundle")
    #expect(applied.stdout.contains("1 new change;"), "the refused imports applied the bundle: \(applied.stdout)")
  }

  @Test(arguments: [
    ("admin", "11", "an admin site needs a bureau as its scope, not the prefecture 11"),
    ("bureau", "11", "a bureau site needs a bureau as its scope, not the prefecture 11"),
    ("prefecture", "kanto-shinetsu", "a prefecture site needs a prefecture code (01–47) as its scope, not the bureau kanto-shinetsu"),
  ])
  func aRoleWithTheWrongKindOfScopeIsRefused(role: String, scope: String, message: String) throws {
    let scratch = try Scratch()
    let result = try scratch.hub("hub", "site", "add", "someone", "--role", role, "--scope", scope)
    #expect(result.status == 1 && result.stdout.isEmpty)
    #expect(result.stderr == "Error: \(message)\n")
    #expect(!FileManager.default.fileExists(atPath: scratch.root + "/hub"), "a refused first registration made a hub")
  }
}
