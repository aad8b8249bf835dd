import Foundation
import RenkeiStore
import Testing

/// Every storage class goes in and comes out unchanged, and a value read as the wrong
/// type is refused with an error that names the column — never coerced.
@Suite struct SQLiteValueTests {
  /// Stores `value` in a one-column STRICT table of `type` and reads it back with the
  /// storage class SQLite kept and the bytes it holds.
  func storeAndLoad(_ value: DatabaseValue, as type: String) throws -> (value: DatabaseValue, storage: String, hex: String) {
    let db = try Database(path: ":memory:")
    try db.execute("CREATE TABLE t(v \(type)) STRICT")
    try db.prepare("INSERT INTO t(v) VALUES (?)").execute([value])
    let row = try #require(try db.prepare("SELECT v, typeof(v), hex(v) FROM t").firstRow())
    return (row[0], try row.string(1), try row.string(2))
  }

  func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

  @Test(arguments: [Int64.min, Int64.min + 1, -1, 0, 1, Int64(Int32.max) + 1, Int64.max - 1, Int64.max])
  func integersRoundTrip(number: Int64) throws {
    let stored = try storeAndLoad(.integer(number), as: "INTEGER")
    #expect(stored.value == .integer(number))
    #expect(stored.storage == "integer")
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT ?1, ?1 = \(number)").firstRow([.integer(number)]))
    #expect(try row.int64(0) == number)
    #expect(try row.bool(1), "SQLite compared the bound value equal to the literal \(number)")
  }

  @Test(arguments: [
    0.0, 1.5, -2.25, Double.pi, 1e-300, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
    -Double.greatestFiniteMagnitude, Double.infinity, -Double.infinity, 0.1 + 0.2,
  ])
  func doublesRoundTripBitForBit(number: Double) throws {
    let stored = try storeAndLoad(.real(number), as: "REAL")
    #expect(stored.storage == "real")
    guard case .real(let read) = stored.value else {
      Issue.record("read \(stored.value), not a real")
      return
    }
    #expect(read.bitPattern == number.bitPattern)
  }

  /// SQLite may write a whole-number REAL to disk as an integer, so a stored -0.0 can come
  /// back as 0.0; a value that is only bound and selected keeps its sign.
  @Test func negativeZeroKeepsItsSignOnlyWhenNotStored() throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT ?").firstRow([.real(-0.0)]))
    guard case .real(let read) = row[0] else {
      Issue.record("read \(row[0]), not a real")
      return
    }
    #expect(read.bitPattern == (-0.0 as Double).bitPattern)
    let stored = try storeAndLoad(.real(-0.0), as: "REAL")
    #expect(stored.value == .real(0) && stored.storage == "real")
  }

  /// A value to round-trip, shown in test output by its label rather than its bytes.
  struct Sample<Value: Sendable>: Sendable, CustomTestStringConvertible {
    let label: String
    let value: Value
    var testDescription: String { label }
  }

  static let texts: [Sample<String>] = [
    .init(label: "empty", value: ""), .init(label: "ASCII", value: "a"), .init(label: "kanji", value: "連携"),
    .init(label: "era date", value: "令和5年5月30日"),
    .init(label: "address", value: "埼玉県さいたま市浦和区高砂三丁目15番1号"),
    .init(label: "half- and full-width kana", value: "ｶﾀｶﾅ と カタカナ"),
    .init(label: "circled, ㈱, 髙", value: "①②③ ㈱ 髙橋"),
    .init(label: "four-byte 𠮷", value: "𠮷野家"), .init(label: "emoji with modifier", value: "😀👍🏽"),
    .init(label: "control characters", value: "tab\tnewline\nreturn\r"),
    .init(label: "quotes and SQL", value: "quote ' and \" and ; DROP TABLE t"),
    .init(label: "が NFC", value: "\u{304C}"), .init(label: "が NFD", value: "\u{304B}\u{3099}"),
    .init(label: "パン NFC", value: "\u{30D1}\u{30F3}"), .init(label: "パン NFD", value: "\u{30CF}\u{309A}\u{30F3}"),
    .init(label: "NUL inside", value: "before\u{0}after"), .init(label: "only NUL", value: "\u{0}"),
    .init(label: "300 KB", value: String(repeating: "長い文字列", count: 20_000)),
  ]

  @Test(arguments: texts)
  func textRoundTripsByteExact(sample: Sample<String>) throws {
    let text = sample.value
    let stored = try storeAndLoad(.text(text), as: "TEXT")
    #expect(stored.storage == "text")
    #expect(stored.hex == hex(text.utf8), "SQLite holds exactly the UTF-8 bytes that were bound")
    guard case .text(let read) = stored.value else {
      Issue.record("read \(stored.value), not text")
      return
    }
    // String == compares canonically (NFC == NFD), so compare the bytes.
    #expect(Array(read.utf8) == Array(text.utf8))
  }

  @Test func nfcAndNfdAreDifferentKeys() throws {
    let nfc = "\u{304C}"
    let nfd = "\u{304B}\u{3099}"
    #expect(nfc == nfd, "Swift treats them as equal, which is why the database must not")
    let db = try Database(path: ":memory:")
    try db.execute("CREATE TABLE names(name TEXT PRIMARY KEY) STRICT")
    let insert = try db.prepare("INSERT INTO names(name) VALUES (?)")
    try insert.execute([.text(nfc)])
    try insert.execute([.text(nfd)])
    let count = try db.prepare("SELECT count(*) FROM names WHERE name = ?")
    #expect(try count.firstRow([.text(nfc)])?.int64(0) == 1)
    #expect(try count.firstRow([.text(nfd)])?.int64(0) == 1)
    let stored = try db.prepare("SELECT name FROM names ORDER BY name").rows().map { Array(try $0.string(0).utf8) }
    #expect(Set(stored) == [Array(nfc.utf8), Array(nfd.utf8)])
  }

  static let blobs: [Sample<[UInt8]>] = [
    .init(label: "empty", value: []), .init(label: "one zero byte", value: [0]),
    .init(label: "FF 00 7F", value: [0xFF, 0x00, 0x7F]), .init(label: "every byte", value: Array(0...255)),
    .init(label: "256 KiB", value: (0..<(1 << 18)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }),
  ]

  @Test(arguments: blobs)
  func blobsRoundTrip(sample: Sample<[UInt8]>) throws {
    let bytes = sample.value
    let stored = try storeAndLoad(.blob(bytes), as: "BLOB")
    #expect(stored.storage == "blob", "an empty blob is still a blob, not NULL")
    #expect(stored.value == .blob(bytes))
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT ?, length(?)").firstRow([.blob(bytes), .blob(bytes)]))
    #expect(try row.bytes(0) == bytes)
    #expect(try row.int64(1) == Int64(bytes.count))
  }

  @Test(arguments: [DatabaseValue.null, nil, DatabaseValue(String?.none), DatabaseValue(Int64?.none)])
  func nullRoundTrips(value: DatabaseValue) throws {
    let stored = try storeAndLoad(value, as: "ANY")
    #expect(stored.value == .null)
    #expect(stored.storage == "null")
  }

  @Test func optionalReadersReturnNilOnlyForNull() throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT NULL, 42, 'x'").firstRow())
    #expect(try row.optionalInt64(0) == nil)
    #expect(try row.optionalString(0) == nil)
    #expect(try row.optionalInt64(1) == 42)
    #expect(try row.optionalString(2) == "x")
    #expect(throws: SQLiteError.self) { try row.optionalInt64(2) }
    #expect(throws: SQLiteError.self) { try row.optionalString(1) }
  }

  @Test func convenienceInitialisersPickTheStorageClass() {
    #expect(DatabaseValue(true) == .integer(1))
    #expect(DatabaseValue(false) == .integer(0))
    #expect(DatabaseValue(7 as Int) == .integer(7))
    #expect(DatabaseValue("連携" as String?) == .text("連携"))
    #expect(DatabaseValue(5 as Int64?) == .integer(5))
    let literals: [DatabaseValue] = ["text", 12, nil]
    #expect(literals == [.text("text"), .integer(12), .null])
  }

  @Test func boolReadsAnyNonZeroIntegerAsTrue() throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT 0, 1, 2, -1").firstRow())
    #expect(try [row.bool(0), row.bool(1), row.bool(2), row.bool(3)] == [false, true, true, true])
  }

  /// How a test reads column 0 of a row as a non-optional type.
  enum Reader: String, Sendable, CaseIterable {
    case int64, string, bytes, bool

    func read(_ row: Row) throws {
      switch self {
      case .int64: _ = try row.int64(0)
      case .string: _ = try row.string(0)
      case .bytes: _ = try row.bytes(0)
      case .bool: _ = try row.bool(0)
      }
    }
  }

  @Test(arguments: [
    ("'12'", Reader.int64, "text"), ("1.0", .int64, "real"), ("x'01'", .int64, "blob"), ("'1'", .bool, "text"),
    ("12", .string, "integer"), ("x'41'", .string, "blob"), ("1.5", .string, "real"),
    ("'AB'", .bytes, "text"), ("7", .bytes, "integer"),
  ])
  func readingTheWrongTypeIsAClearError(expression: String, reader: Reader, held: String) throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT \(expression) AS amount").firstRow())
    let error = try #require(throws: SQLiteError.self) { try reader.read(row) }
    #expect(error.resultCode == SQLiteError.misuse)
    #expect(error.message.contains("amount"), "the message names the column: \(error.message)")
    #expect(error.message.contains(held), "the message says what the column holds: \(error.message)")
  }

  @Test(arguments: Reader.allCases)
  func readingNullAsNonOptionalIsAClearError(reader: Reader) throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT NULL AS closed_on").firstRow())
    let error = try #require(throws: SQLiteError.self) { try reader.read(row) }
    #expect(error.resultCode == SQLiteError.misuse)
    #expect(error.message.contains("closed_on") && error.message.contains("null"), "\(error.message)")
  }

  @Test func columnsAreFoundByName() throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT 3 AS quantity, '講堂' AS venue").firstRow())
    #expect(row.columnNames == ["quantity", "venue"])
    #expect(try row.int64("quantity") == 3)
    #expect(try row.string("venue") == "講堂")
    let error = try #require(throws: SQLiteError.self) { try row.string("room") }
    #expect(error.message.contains("room"))
    #expect(throws: SQLiteError.self) { try row.int64("venue") }
  }

  @Test func rowsOutliveTheirStatementAndConnection() throws {
    let db = try Database(path: ":memory:")
    try db.execute("CREATE TABLE t(n INTEGER, s TEXT, b BLOB); INSERT INTO t VALUES (1, '一', x'01'), (2, '二', x'0203')")
    let rows = try db.prepare("SELECT n, s, b FROM t ORDER BY n").rows()
    db.close()
    #expect(rows.map(\.values) == [[.integer(1), .text("一"), .blob([1])], [.integer(2), .text("二"), .blob([2, 3])]])
  }

  @Test func invalidUTF8StoredAsTextIsRepairedNotCrashedOn() throws {
    let db = try Database(path: ":memory:")
    let row = try #require(try db.prepare("SELECT CAST(x'61FF62' AS TEXT)").firstRow())
    #expect(try row.string(0) == "a\u{FFFD}b")
  }
}
