import Foundation
import RenkeiStore
import Testing

/// Reading a row in place and binding UTF-8 bytes are fast paths beside ``Row`` and
/// `DatabaseValue.text`: each must give exactly what they give, values and errors alike.
@Suite struct StatementRowTests {
  /// One row per kind of value a column can hold, in a table that takes any type.
  static let values: [DatabaseValue] = [
    .null, .integer(0), .integer(-7), .integer(.max), .real(1.5), .text(""), .text("講堂"), .text("a\u{0}b"),
    .text(#"{"title":"説明会"}"#), .blob([]), .blob([0, 0xFF]),
  ]

  func makeDatabase() throws -> Database {
    let db = try Database(path: ":memory:")
    try db.execute("CREATE TABLE cells(id INTEGER PRIMARY KEY, value ANY) STRICT")
    let insert = try db.prepare("INSERT INTO cells(id, value) VALUES (?, ?)")
    for (id, value) in Self.values.enumerated() { try insert.execute([.integer(Int64(id)), value]) }
    return db
  }

  /// What an accessor gives, comparable: the value, or the error's description.
  static func outcome<T: Equatable>(_ read: () throws -> T) -> Result<T, SQLiteError> {
    Result { try read() }.mapError { $0 as! SQLiteError }
  }

  @Test func theRowReadInPlaceAnswersAsTheCopiedRow() throws {
    let db = try makeDatabase()
    let select = try db.prepare("SELECT value, id FROM cells WHERE id = ?")
    for id in Self.values.indices {
      let row = try #require(try select.firstRow([.integer(Int64(id))]))
      try select.withFirstRow([.integer(Int64(id))]) { inPlace in
        let inPlace = try #require(inPlace)
        #expect(Self.outcome { try inPlace.string(0) } == Self.outcome { try row.string(0) })
        #expect(Self.outcome { try inPlace.optionalString(0) } == Self.outcome { try row.optionalString(0) })
        #expect(Self.outcome { try inPlace.int64(0) } == Self.outcome { try row.int64(0) })
        #expect(Self.outcome { try inPlace.optionalInt64(0) } == Self.outcome { try row.optionalInt64(0) })
        #expect(Self.outcome { try inPlace.utf8(0) { Array($0) } } == Self.outcome { try row.utf8(0) { Array($0) } })
        #expect(Self.outcome { try inPlace.optionalUTF8(0) { Array($0) } } == Self.outcome { try row.optionalUTF8(0) { Array($0) } })
        #expect(try inPlace.int64(1) == Int64(id))
      }
    }
    #expect(try select.withFirstRow([.integer(99)]) { $0 == nil })
  }

  @Test func utf8BytesBindAsTheirText() throws {
    let db = try makeDatabase()
    let texts = ["", "講堂", "a\u{0}b", #"{"notes":"1. 開会\n"}"#, String(repeating: "認知症", count: 400)]
    let insert = try db.prepare("INSERT INTO cells(id, value) VALUES (?, ?)")
    let read = try db.prepare("SELECT value, typeof(value), length(CAST(value AS BLOB)) FROM cells WHERE id = ?")
    for (offset, text) in texts.enumerated() {
      let asText = Int64(100 + 2 * offset)
      let asBytes = asText + 1
      try insert.execute([.integer(asText), .text(text)])
      try insert.bind(.integer(asBytes), at: 1)
      try insert.bind(utf8Text: Array(text.utf8), at: 2)
      try insert.run()
      let stored = try read.firstRow([.integer(asText)])?.values
      #expect(stored == [.text(text), .text("text"), .integer(Int64(text.utf8.count))])
      #expect(try read.firstRow([.integer(asBytes)])?.values == stored)
    }
  }

  /// A statement from the cache runs with exactly the values bound since it was handed out:
  /// none left over from its last use.
  @Test func aCachedStatementStartsWithNothingBound() throws {
    let db = try makeDatabase()
    let sql = "INSERT INTO cells(id, value) VALUES (?, ?)"
    let first = try db.cachedStatement(sql)
    try first.bind(.integer(200), at: 1)
    try first.bind(.text("講堂"), at: 2)
    try first.run()
    let again = try db.cachedStatement(sql)
    try again.bind(.integer(201), at: 1)
    try again.run()
    try db.cachedStatement(sql).execute([.integer(202), .text("会議室")])
    try db.cachedStatement(sql).execute([.integer(203), .null])
    let stored = try db.prepare("SELECT value FROM cells WHERE id >= 200 ORDER BY id").rows().map(\.values)
    #expect(stored == [[.text("講堂")], [.null], [.text("会議室")], [.null]])
    // A run that fails leaves the statement usable, with nothing bound.
    let failing = try db.cachedStatement(sql)
    try failing.bind(.integer(200), at: 1)
    #expect(throws: SQLiteError.self) { try failing.run() }
    try db.cachedStatement(sql).execute([.integer(204), .text("総会")])
    #expect(try db.prepare("SELECT value FROM cells WHERE id = 204").firstRow()?.values == [.text("総会")])
  }
}
