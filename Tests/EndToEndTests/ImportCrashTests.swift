import Foundation
import RenkeiCore
import RenkeiStore
import Testing

/// `kill -9` of `renkei import` at any moment leaves all of the file or none of it.
@Suite struct ImportCrashTests {
  static let rows = 6000

  /// A large events.csv in the fixture's format, every row valid for prefecture 11.
  static func csv() -> String {
    var text = "id,bureau,prefecture,fiscal_year,kind,title,starts_on,ends_on,venue,co_hosts,participants,status,source\n"
    for index in 0..<rows {
      let day = index % 28 + 1
      text += "crash-\(index),kanto-shinetsu,11,2023,seminar,認知症ケア研修 第\(index)回,2023-06-\(day < 10 ? "0" : "")\(day),,さいたま市,埼玉県;厚生局,\(index % 90),held,generated\n"
    }
    return text
  }

  @Test(arguments: [40, 120, 250, 400, 700])
  func aKilledImportLeavesAllOrNothing(afterMilliseconds delay: Int) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-import-crash-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    try ("rk_" + String(repeating: "0", count: 64)).write(toFile: root + "/token", atomically: true, encoding: .utf8)
    let directory = root + "/replica"
    let created = try ProcessRunner.run(
      "renkei", ["--dir", directory, "init", "--site", "saitama", "--hub", "http://127.0.0.1:9", "--token-file", root + "/token", "--scope", "11"])
    try #require(created.status == 0, "\(created.stderr)")
    try Self.csv().write(toFile: root + "/events.csv", atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = BinaryLocation.url(of: "renkei")
    process.arguments = ["--dir", directory, "import", "events", root + "/events.csv"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    usleep(useconds_t(delay * 1000))
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()

    let replica = try Replica(path: directory + "/replica.sqlite")
    #expect(try replica.database.integrityCheck() == ["ok"], "integrity_check after kill -9 at \(delay) ms")
    let count = try replica.records(kind: .event).count
    #expect(count == 0 || count == Self.rows, "kill -9 at \(delay) ms left \(count) of \(Self.rows) rows")
    #expect(try replica.pendingChanges(limit: Int.max).count == count, "every imported record has its change")
  }
}
