import RenkeiCore
import Testing

@testable import RenkeiReports

@Suite struct AnnualScheduleTests {
  @Test func readsTheFY2023ScheduleOfTheSourceDocument() throws {
    let schedule = try ExampleData.annualSchedule()
    #expect(schedule.entries.count == 10)
    #expect(
      schedule.programmes == [
        "地域包括ケア推進都県協議会", "都県協議会分科会", "地域包括ケア応援セミナー", "事例研究会", "認知症施策の普及・啓発",
        "高齢者の保健事業と介護予防の一体的な実施に係る意見交換会", "地域づくり加速化事業", "地域づくり加速化事業 関東信越ブロック研修会",
        "介護保険事業(支援)計画関係業務",
      ])
    let council = schedule.entries[0]
    #expect(council.fixedDate == (try RecordDate(iso: "2023-05-30")))
    #expect(council.startMonth == (try RecordDate(iso: "2023-05")))
    #expect(council.remark == "5.30開催")
    #expect(council.line == 2)
    // Two entries, one row: the council on 5.30, then September to March.
    #expect(schedule.entries.filter { $0.programme == "介護保険事業(支援)計画関係業務" }.count == 2)
  }

  @Test func splitsFootnotesFromRemarks() throws {
    let schedule = try ExampleData.annualSchedule()
    let subcommittee = try #require(schedule.entries.first { $0.programme == "都県協議会分科会" })
    #expect(subcommittee.remark == "(保険者機能強化推進交付金等を実施予定)")
    #expect(subcommittee.footnotes.map(\.mark) == ["※1"])
    let seminar = try #require(schedule.entries.first { $0.programme == "地域包括ケア応援セミナー" })
    #expect(seminar.remark == "※開催時期未定")
    #expect(schedule.footnotes.map(\.mark) == ["※1", "※2"])
    #expect(schedule.footnotes[0].text == "都県協議会において都県から要望等があれば、時期を調整の上、別途企画する")
    #expect(schedule.footnotes[1].text.hasPrefix("認知症施策はテーマに応じて"))
  }

  @Test(arguments: [
    ("programme,start_month\nA,2023-04\n", 1, "the header lacks end_month"),
    ("programme,start_month,end_month\n,2023-04,2023-05\n", 2, "programme is empty"),
    ("programme,start_month,end_month\nA,2023-4,2023-05\n", 2, "start_month"),
    ("programme,start_month,end_month\nA,2023-04-01,2023-05\n", 2, "is a day"),
    ("programme,start_month,end_month\nA,2023-04,2023-05\nB,2023-09,2023-07\n", 3, "before start_month"),
    ("programme,start_month,end_month,fixed_date\nA,2023-04,2023-05,2023-06-01\n", 2, "must be a day from"),
    ("programme,start_month,end_month,fixed_date\nA,2023-04,2023-05,2023-05-32\n", 2, "fixed_date"),
    ("programme,start_month,end_month\n\"A,2023-04,2023-05\n", 2, "not closed"),
  ])
  func refusesABadFileNamingTheLine(csv: String, line: Int, message: String) {
    #expect {
      try AnnualSchedule.parse(csv: csv)
    } throws: { error in
      guard let error = error as? AnnualScheduleError else { return false }
      return error.line == line && error.message.contains(message)
    }
  }

  @Test func theNoteAndFixedDateColumnsAreOptional() throws {
    let schedule = try AnnualSchedule.parse(csv: "programme,start_month,end_month\r\n研修,2023-10,2023-12\r\n")
    #expect(schedule.entries.count == 1)
    #expect(schedule.entries[0].note.isEmpty)
    #expect(schedule.entries[0].fixedDate == nil)
  }
}
