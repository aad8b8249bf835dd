import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `renkei report` writes both pages from a replica, and the hub serves the bureau-wide
/// pages to bureau and admin tokens only.
@Suite struct ReportEndToEndTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Examples/data")

  @Test func theCommandAndTheHubWriteBothReports() async throws {
    let setup = try SyncEndToEndTests.Setup()
    _ = try setup.on("kanto", "import", "events", Self.examples.appendingPathComponent("events.csv").path, "--only-mine")
    _ = try setup.on("kanto", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "initial-decision", "--amount", "1.2億", "--on", "2023-05-10", "--scope", "11")
    _ = try setup.on("kanto", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "execution", "--amount", "3,500万", "--on", "2023-09-30", "--scope", "11")
    _ = try setup.on("kanto", "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "initial-decision", "--amount", "4800万", "--on", "2023-05-12", "--scope", "19")

    let schedule = setup.root + "/schedule.html"
    let chart = setup.root + "/schedule.svg"
    _ = try setup.on(
      "kanto", "report", "schedule", "--fy", "令和5年度", "--html", schedule, "--svg", chart,
      "--schedule", Self.examples.appendingPathComponent("fy2023-annual-schedule.csv").path)
    let page = try String(contentsOfFile: schedule, encoding: .utf8)
    #expect(page.contains("令和5年度"))
    #expect(page.contains("地域包括ケア推進都県協議会"), "the FY2023 council from events.csv")
    #expect(!page.contains("<script"))
    #expect(try String(contentsOfFile: chart, encoding: .utf8).hasPrefix("<svg") || (try String(contentsOfFile: chart, encoding: .utf8)).contains("<svg"))

    let funds = setup.root + "/funds.html"
    _ = try setup.on("kanto", "report", "funds", "--fy", "2023", "--html", funds)
    let fundsPage = try String(contentsOfFile: funds, encoding: .utf8)
    for text in ["埼玉県", "山梨県", "地域医療介護総合確保基金", "120,000,000", "85,000,000"] {
      #expect(fundsPage.contains(text), "the fund report lacks \(text)")
    }
    // A fiscal year that cannot be read is a usage error.
    let refused = try ProcessRunner.run("renkei", ["--dir", setup.agents["kanto"]!, "report", "funds", "--fy", "来年度", "--html", funds])
    #expect(refused.status == 64)

    try setup.sync(["kanto"])
    func get(_ path: String, token: String?) async throws -> (Int, String) {
      var request = URLRequest(url: URL(string: setup.hub.url + path)!)
      if let token { request.setValue("Bearer \(try String(contentsOfFile: token, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))", forHTTPHeaderField: "Authorization") }
      let (data, response) = try await URLSession.shared.data(for: request)
      return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }
    let (status, body) = try await get("/reports/funds?fy=2023", token: setup.root + "/kanto.token")
    #expect(status == 200)
    #expect(body.contains("埼玉県") && body.contains("85,000,000"))
    #expect(try await get("/reports/schedule?fy=2023", token: setup.root + "/kanto.token").1.contains("令和5年度"))
    #expect(try await get("/reports/schedule?fy=2023", token: setup.root + "/saitama.token").0 == 403)
    #expect(try await get("/reports/schedule?fy=2023", token: nil).0 == 401)
    #expect(try await get("/reports/funds?fy=x", token: setup.root + "/kanto.token").0 == 400)
  }
}
