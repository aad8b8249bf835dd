import RenkeiCore
import Testing

@Suite struct RecordDateTests {
  @Test(arguments: [("2023-05-30", 2023), ("2024-03-31", 2023), ("2023-04-01", 2023), ("2020-10", 2020), ("2021-02", 2020)])
  func fiscalYearFollowsTheAprilToMarchRule(text: String, year: Int) throws {
    #expect(try RecordDate(iso: text).fiscalYear == FiscalYear(year))
  }

  @Test(arguments: ["2023-02-29", "2023-13-01", "2023-5-30", "2023/05/30", "令和5年", "", "2023-00", "20230530", "２０２３-05-30", "2023-05-30T00",
    "2023-05-3x", "2023x05-30", "2023-05x30", "2023-05-", "2023-0530", "+023-05-30", "2023--5-30", "-2023-05", "2023-1-",
  ])
  func malformedOrImpossibleDatesAreRefused(text: String) {
    #expect(throws: RecordDateError.self) { try RecordDate(iso: text) }
  }

  @Test func leapDaysAndPrecisionsRoundTrip() throws {
    #expect(try RecordDate(iso: "2024-02-29").iso == "2024-02-29")
    #expect(try RecordDate(iso: "2020-10").precision == .month)
    let october = try RecordDate(iso: "2020-10")
    #expect(october < (try RecordDate(iso: "2020-10-01")))
  }

  @Test func fiscalYearsHaveJapaneseNames() {
    #expect(FiscalYear(2023).japaneseName == "令和5年度")
    #expect(FiscalYear(2019).japaneseName == "令和元年度")
    #expect(FiscalYear(2018).japaneseName == "平成30年度")
    #expect(FiscalYear(2023).bothNames == "FY2023 / 令和5年度")
  }
}

@Suite struct RecordValidationTests {
  let event: RecordFields = [
    "scope": .string("11"), "kind": .string("seminar"), "title": .text("これからの地域づくり戦略"),
    "starts_on": .string("2019-06-03"), "ends_on": .string("2019-06-03"), "co_hosts": .set(["埼玉県"]), "status": .string("held"),
  ]

  func failure(_ fields: RecordFields, kind: RecordKind = .event) -> RecordValidationError? {
    do {
      _ = try Record(kind: kind, id: try RecordID("x"), fields: fields)
      return nil
    } catch { return error }
  }

  @Test func aValidEventDerivesItsFiscalYear() throws {
    let record = try Event(id: RecordID("ks-seminar-2019-06-03"), fields: event)
    #expect(record.fiscalYear == FiscalYear(2019))
    #expect(record.status == .held)
  }

  @Test func errorsNameTheFieldAndTheReason() {
    #expect(failure(event.merging(["fiscal_year": .integer(2018)]) { $1 })?.field == "fiscal_year")
    #expect(failure(event.merging(["kind": .string("party")]) { $1 })?.field == "kind")
    #expect(failure(event.merging(["title": .string("  ")]) { $1 })?.field == "title")
    #expect(failure(event.merging(["ends_on": .string("2019-06-02")]) { $1 })?.field == "ends_on")
    #expect(failure(event.merging(["scope": .string("99")]) { $1 })?.field == "scope")
    #expect(failure(event.merging(["participants": .integer(-1)]) { $1 })?.field == "participants")
    #expect(failure(event.merging(["colour": .string("red")]) { $1 })?.field == "colour")
    #expect(failure(event.merging(["starts_on": .string("2019-02-30")]) { $1 })?.reason.contains("no day 30") == true)
  }

  @Test func undatedRecordsNeedAFiscalYear() throws {
    var undated = event
    undated["starts_on"] = nil
    undated["ends_on"] = nil
    #expect(failure(undated)?.field == "fiscal_year")
    undated["fiscal_year"] = .integer(2020)
    #expect(failure(undated) == nil)
  }

  @Test func japaneseTextIsStoredAsNFC() throws {
    let decomposed = "か\u{3099}いと\u{3099}"  // が and ど written with combining marks
    let record = try Event(id: RecordID("x"), fields: event.merging(["title": .text(decomposed)]) { $1 })
    #expect(record.title.unicodeScalars.count == 3)
    #expect(Array(record.title.unicodeScalars) == Array("がいど".unicodeScalars))
  }

  @Test func fundEntriesKeepWholeYenAndTheirOwnFiscalYear() throws {
    let settlement: RecordFields = [
      "scope": .string("04"), "programme": .text("地域支援事業交付金"), "kind": .string("final-determination"),
      "amount": .integer(87_654_322), "occurred_on": .string("2021-01-06"), "fiscal_year": .integer(2019),
    ]
    let entry = try FundEntry(id: RecordID("f"), fields: settlement)
    #expect(entry.fiscalYear == FiscalYear(2019) && entry.amount == 87_654_322)
    #expect(failure(settlement.merging(["fiscal_year": .integer(2015)]) { $1 }, kind: .fundEntry)?.field == "fiscal_year")
    #expect(failure(settlement.merging(["amount": .string("1200万")]) { $1 }, kind: .fundEntry)?.field == "amount")
    #expect(failure(settlement.merging(["kind": .string("correction")]) { $1 }, kind: .fundEntry)?.field == "corrects")
  }

  @Test func notesDeriveTheirYearFromHeldOn() throws {
    let note = try HearingNote(
      id: RecordID("n"),
      fields: ["scope": .string("19"), "topic": .text("第9期計画"), "held_on": .string("2024-01"), "body": .text("概要\n")])
    #expect(note.fiscalYear == FiscalYear(2023) && note.status == .draft)
  }
}

@Suite struct ScopeTests {
  @Test func prefecturesReadTheirBureauButWriteOnlyTheirOwn() throws {
    let saitama = try Scope("11")
    let yamanashi = try Scope("19")
    let kanto = try Scope("kanto-shinetsu")
    let tohoku = try Scope("tohoku")
    #expect(saitama.canRead(kanto) && !saitama.canWrite(kanto))
    #expect(!saitama.canRead(yamanashi) && !saitama.canWrite(yamanashi))
    #expect(kanto.canRead(yamanashi) && kanto.canWrite(saitama))
    let miyagi = try Scope("04")
    #expect(!kanto.canRead(tohoku) && !kanto.canRead(miyagi))
    #expect(kanto.bureau.prefectures.count == 10 && tohoku.bureau.prefectures.count == 6)
    #expect(Prefecture.all.count == 47 && Bureau.all.count == 8)
  }
}

@Suite struct HybridClockTests {
  @Test func readingsIncreaseWhenTheWallClockStallsOrStepsBack() {
    var clock = HybridClock()
    let first = clock.tick(wallMilliseconds: 1000)
    let second = clock.tick(wallMilliseconds: 1000)
    let third = clock.tick(wallMilliseconds: 900)
    #expect(first < second && second < third)
    clock.observe(HybridTimestamp(milliseconds: 5000, counter: 3), wallMilliseconds: 1000)
    #expect(clock.tick(wallMilliseconds: 1000) > HybridTimestamp(milliseconds: 5000, counter: 3))
  }
}
