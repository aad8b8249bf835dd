import Foundation
import RenkeiHub
import Testing

/// Offline bundles are sealed with the site's token: an altered bundle, a bundle sealed by
/// another site's token, or a reply meant for another site is refused whole, and importing
/// the same bundle twice changes nothing.
@Suite struct BundleSecurityTests {
  @Test func alteredAndForeignBundlesAreRefusedAndRepeatsChangeNothing() throws {
    let setup = try SyncEndToEndTests.Setup()
    let hubArguments = ["--dir", setup.hub.directory]
    _ = try setup.on("saitama", "event", "add", "--title", "移動支援研修", "--kind", "training", "--starts-on", "2023-08-08")
    let bundle = setup.root + "/saitama.bundle"
    _ = try setup.on("saitama", "bundle", "export", bundle)
    let original = try Data(contentsOf: URL(fileURLWithPath: bundle))
    let hub = try Hub(path: HubServer.databasePath(in: setup.hub.directory))
    func changesAtHub() throws -> Int64 { try hub.database.prepare("SELECT count(*) FROM changes").firstRow()!.int64(0) }

    // One byte altered in the body: refused by the hub, nothing stored.
    var altered = original
    let index = altered.lastIndex(of: "移".utf8.first!) ?? altered.index(before: altered.endIndex)
    altered[index] ^= 0x01
    try altered.write(to: URL(fileURLWithPath: bundle + ".altered"))
    let refusedAltered = try ProcessRunner.run("renkei-hub", hubArguments + ["bundle", "import", bundle + ".altered"])
    #expect(refusedAltered.status == 1)
    #expect(refusedAltered.stderr.contains("seal does not match"), "\(refusedAltered.stderr)")
    #expect(try changesAtHub() == 0)

    // Claiming to be another site: the header says yamanashi, the seal is Saitama's.
    let header = String(decoding: original.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    let forged = Data(header.replacingOccurrences(of: " saitama ", with: " yamanashi ").utf8) + original.drop { $0 != UInt8(ascii: "\n") }
    try forged.write(to: URL(fileURLWithPath: bundle + ".forged"))
    #expect(try ProcessRunner.run("renkei-hub", hubArguments + ["bundle", "import", bundle + ".forged"]).status == 1)
    #expect(try changesAtHub() == 0)

    // The genuine bundle, twice: the second import stores nothing new.
    let first = try ProcessRunner.run("renkei-hub", hubArguments + ["bundle", "import", bundle])
    #expect(first.status == 0 && first.stdout.contains("1 new change"), "\(first.stderr)")
    let second = try ProcessRunner.run("renkei-hub", hubArguments + ["bundle", "import", bundle, "--reply", bundle + ".reply2"])
    #expect(second.status == 0 && second.stdout.contains("0 new changes"))
    #expect(try changesAtHub() == 1)

    // The reply is Saitama's: Yamanashi refuses it; Saitama applies it, twice, to the same end.
    let foreign = try ProcessRunner.run("renkei", ["--dir", setup.agents["yamanashi"]!, "bundle", "import", bundle + ".reply"])
    #expect(foreign.status == 1)
    #expect(foreign.stderr.contains("for site saitama"), "\(foreign.stderr)")
    _ = try setup.on("saitama", "bundle", "import", bundle + ".reply")
    // Compared as JSON: the text gives the last reply's age, which moves on by the second.
    let once = try setup.on("saitama", "status", "--json")
    _ = try setup.on("saitama", "bundle", "import", bundle + ".reply")
    #expect(try setup.on("saitama", "status", "--json") == once)
    #expect(try setup.on("saitama", "status").contains("to push:       0 changes"))
  }
}
