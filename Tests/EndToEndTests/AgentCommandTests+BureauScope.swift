import Foundation
import Testing

/// A bureau replica holds the records of every prefecture of its bureau: its lists say whose
/// each record is, and `--scope` keeps one prefecture's records.
extension AgentCommandTests {
  @Test func aBureauListsEachPrefecturesRecordsUnderItsNameAndFiltersThemByScope() throws {
    let sandbox = try AgentSandbox()
    let bureau = try sandbox.replica("kanto", scope: "kanto-shinetsu")
    let council = try sandbox.ok(bureau, "event", "add", "--title", "都県協議会", "--kind", "council", "--starts-on", "令和5年5月30日")
    let saitamaSeminar = try sandbox.ok(
      bureau, "event", "add", "--title", "応援セミナー", "--kind", "seminar", "--starts-on", "R5.11.14", "--scope", "11")
    let tokyoHearing = try sandbox.ok(
      bureau, "event", "add", "--title", "東京都ヒアリング", "--kind", "hearing", "--starts-on", "2023-08-03", "--scope", "13")
    let body = try sandbox.file("body.txt", "執行状況を聴取した。\n")
    let tokyoNote = try sandbox.ok(
      bureau, "note", "add", "--topic", "東京都ヒアリング", "--held-on", "2023-08-03", "--body-file", body, "--scope", "13")
    let saitamaNote = try sandbox.ok(
      bureau, "note", "add", "--topic", "埼玉県ヒアリング", "--held-on", "2023-07-05", "--body-file", body, "--scope", "11")
    func decision(_ amount: String, scope: String) throws -> String {
      try sandbox.ok(
        bureau, "fund", "add", "--programme", "地域医療介護総合確保基金", "--kind", "initial-decision", "--on", "2023-05-10",
        "--amount", amount, "--scope", scope)
    }
    let saitamaDecision = try decision("1.2億", scope: "11")
    let tokyoDecision = try decision("3.5億", scope: "13")

    // Every list names the prefecture of each row, by code and name, and the bureau's own.
    let events = try sandbox.ok(bureau, "event", "list")
    #expect(events.contains("区分"))
    #expect(events.split(separator: "\n").contains { $0.contains("東京都ヒアリング") && $0.contains("13 東京都") })
    #expect(events.split(separator: "\n").contains { $0.contains("応援セミナー") && $0.contains("11 埼玉県") })
    #expect(events.split(separator: "\n").contains { $0.contains("都県協議会") && $0.contains("関東信越厚生局") })
    let notes = try sandbox.ok(bureau, "note", "list")
    #expect(notes.split(separator: "\n").contains { $0.contains("東京都ヒアリング") && $0.contains("13 東京都") })
    let entries = try sandbox.ok(bureau, "fund", "list")
    #expect(entries.split(separator: "\n").contains { $0.contains("350,000,000") && $0.contains("13 東京都") })

    // --scope keeps one prefecture's records, or the bureau's own.
    #expect(try sandbox.json([JSONRecord].self, bureau, "event", "list", "--scope", "13", "--json").map(\.id) == [tokyoHearing])
    #expect(try sandbox.json([JSONRecord].self, bureau, "event", "list", "--scope", "11", "--json").map(\.id) == [saitamaSeminar])
    #expect(
      try sandbox.json([JSONRecord].self, bureau, "event", "list", "--scope", "kanto-shinetsu", "--json").map(\.id) == [council])
    #expect(try sandbox.json([JSONRecord].self, bureau, "note", "list", "--scope", "11", "--json").map(\.id) == [saitamaNote])
    #expect(try sandbox.json([JSONRecord].self, bureau, "note", "list", "--scope", "13", "--json").map(\.id) == [tokyoNote])
    #expect(try sandbox.json([JSONRecord].self, bureau, "fund", "list", "--scope", "11", "--json").map(\.id) == [saitamaDecision])
    #expect(try sandbox.json([JSONRecord].self, bureau, "fund", "list", "--scope", "13", "--json").map(\.id) == [tokyoDecision])
    let tokyoBalance = try sandbox.ok(bureau, "fund", "balance", "--scope", "13")
    #expect(tokyoBalance.contains("13 東京都") && tokyoBalance.contains("350,000,000"))
    #expect(!tokyoBalance.contains("埼玉県") && !tokyoBalance.contains("120,000,000"))
    #expect(try sandbox.ok(bureau, "event", "list", "--scope", "19") == "no events of 19 山梨県")

    // A scope that is no prefecture is refused, naming the option.
    let refused = try sandbox.run(bureau, "event", "list", "--scope", "99")
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("--scope"))
  }
}
