import Foundation
import RenkeiCommandLine
import Testing

/// When the hub's log lines carry their own time: everywhere but the systemd journal.
@Suite struct ServiceLogTests {
  @Test func aLineBeginsWithTheLocalTimeAndItsOffset() throws {
    let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
    let date = Date(timeIntervalSince1970: 1_685_412_125)  // 2023-05-30T02:02:05Z
    #expect(ServiceLog(stampsLines: true, timeZone: tokyo).line("GET /v1/pull 200", at: date) == "2023-05-30T11:02:05+09:00 GET /v1/pull 200")
    #expect(ServiceLog(stampsLines: true, timeZone: TimeZone(identifier: "UTC")!).line("x", at: date) == "2023-05-30T02:02:05Z x")
    #expect(ServiceLog(stampsLines: false, timeZone: tokyo).line("GET /v1/pull 200", at: date) == "GET /v1/pull 200")
  }

  @Test func theJournalIsRecognisedOnlyWhenItsStreamIsStandardError() {
    let identity = (device: UInt64(64769), inode: UInt64(123_456))
    #expect(ServiceLog.isJournal(journalStream: "64769:123456", standardError: identity))
    // Inherited by a child whose standard error was redirected to a file: not the journal.
    #expect(!ServiceLog.isJournal(journalStream: "64769:123457", standardError: identity))
    #expect(!ServiceLog.isJournal(journalStream: "64768:123456", standardError: identity))
    for malformed in ["", ":", "64769", "64769:", ":123456", "64769:123456:1", "x:123456", "-1:123456", " 64769:123456"] {
      #expect(!ServiceLog.isJournal(journalStream: malformed, standardError: identity), "\(malformed.debugDescription)")
    }
    #expect(!ServiceLog.isJournal(journalStream: nil, standardError: identity))
    #expect(!ServiceLog.isJournal(journalStream: "64769:123456", standardError: nil))
  }

  @Test func thisProcessStampsUnlessTheVariableNamesItsStandardError() throws {
    var status = stat()
    try #require(fstat(STDERR_FILENO, &status) == 0)
    #expect(ServiceLog.standardError(environment: [:]).stampsLines)
    #expect(!ServiceLog.standardError(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]).stampsLines)
    #expect(ServiceLog.standardError(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino &+ 1)"]).stampsLines)
  }
}
