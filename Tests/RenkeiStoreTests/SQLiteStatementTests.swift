import Foundation
import RenkeiStore
import Testing

/// Preparing, binding, stepping and the statement cache.
@Suite struct SQLiteStatementTests {
  func makeDatabase() throws -> Database {
    let db = try Database(path: ":memory:")
    try db.execute(
      """
      CREATE TABLE events(id INTEGER PRIMARY KEY, title TEXT NOT NULL UNIQUE, venue TEXT) STRICT;
      INSERT INTO events(title, venue) VALUES ('説明会', '講堂'), ('研修', '会議室'), ('総会', NULL);
      """)
    return db
  }

  @Test func aStatementRunsAgainWithNewValues() throws {
    let db = try makeDatabase()
    let select = try db.prepare("SELECT title FROM events WHERE venue = ?")
    #expect(select.sql == "SELECT title FROM events WHERE venue = ?")
    #expect(try select.rows(["講堂"]).map { try $0.string(0) } == ["説明会"])
    #expect(try select.rows(["会議室"]).map { try $0.string(0) } == ["研修"])
    #expect(try select.firstRow(["屋外"]) == nil)
  }

  @Test(arguments: [[DatabaseValue](), ["講堂", "会議室"]])
  func theWrongNumberOfValuesIsRefused(values: [DatabaseValue]) throws {
    let db = try makeDatabase()
    let sql = "SELECT title FROM events WHERE venue = ?"
    let error = try #require(throws: SQLiteError.self) { try db.prepare(sql).rows(values) }
    #expect(error.resultCode == SQLiteError.misuse)
    #expect(error.sql == sql)
    #expect(error.message.contains("\(values.count) values for 1 parameters"), "\(error.message)")
  }

  @Test func valuesForAStatementWithoutParametersAreRefused() throws {
    let db = try makeDatabase()
    #expect(throws: SQLiteError.self) { try db.prepare("SELECT count(*) FROM events").firstRow([1]) }
  }

  @Test func numberedParametersCanRepeat() throws {
    let db = try makeDatabase()
    let row = try #require(try db.prepare("SELECT ?1 || ?1, ?2").firstRow(["連", 2]))
    #expect(try row.string(0) == "連連")
    #expect(try row.int64(1) == 2)
  }

  @Test(arguments: [":venue", "@venue", "$venue"])
  func namedParametersBind(name: String) throws {
    let db = try makeDatabase()
    let select = try db.prepare("SELECT title FROM events WHERE venue = \(name) OR title = \(name)")
    try select.bind(named: [name: "会議室"])
    #expect(try select.step())
    #expect(try select.step() == false)
    select.reset()
    #expect(try select.step(), "reset keeps the bindings")
  }

  @Test func anUnknownNamedParameterIsRefused() throws {
    let db = try makeDatabase()
    let sql = "SELECT title FROM events WHERE venue = :venue"
    let select = try db.prepare(sql)
    let error = try #require(throws: SQLiteError.self) { try select.bind(named: [":room": "講堂"]) }
    #expect(error.resultCode == SQLiteError.misuse)
    #expect(error.message.contains(":room"))
    #expect(error.sql == sql)
  }

  @Test func bindingOutOfRangeIsSQLiteRange() throws {
    let db = try makeDatabase()
    let select = try db.prepare("SELECT ?")
    let error = try #require(throws: SQLiteError.self) { try select.bind(.integer(1), at: 2) }
    #expect(error.extendedResultCode == 25)  // SQLITE_RANGE
    #expect(error.sql == "SELECT ?")
  }

  @Test func aSyntaxErrorNamesTheSQL() throws {
    let db = try makeDatabase()
    let sql = "SELEC title FROM events"
    let error = try #require(throws: SQLiteError.self) { try db.prepare(sql) }
    #expect(error.extendedResultCode == SQLiteError.error)
    #expect(error.sql == sql)
    #expect(error.message.contains("syntax error"), "\(error.message)")
    #expect(error.description.contains(sql))
  }

  @Test(arguments: ["", "   ", "-- only a comment", ";"])
  func preparingNoStatementIsAnError(sql: String) throws {
    let db = try makeDatabase()
    let error = try #require(throws: SQLiteError.self) { try db.prepare(sql) }
    // SQLite prepares such SQL to nothing and says SQLITE_OK; the error must not carry 0.
    #expect(error.extendedResultCode == SQLiteError.misuse)
    #expect(error.sql == sql)
  }

  @Test func preparingSeveralStatementsIsRefusedRatherThanRunningOnlyTheFirst() throws {
    let db = try makeDatabase()
    let sql = "DELETE FROM events WHERE title = '総会'; DELETE FROM events"
    let error = try #require(throws: SQLiteError.self) { try db.prepare(sql) }
    #expect(error.resultCode == SQLiteError.misuse)
    #expect(error.sql == sql)
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 3)
  }

  @Test(arguments: ["SELECT 1;", "SELECT 1;  ", "SELECT 1; -- why", "SELECT 1 /* why */ ;\n"])
  func aTrailingSemicolonOrCommentIsFine(sql: String) throws {
    let db = try makeDatabase()
    #expect(try db.prepare(sql).firstRow()?.int64(0) == 1)
  }

  @Test func aFailedStepLeavesTheStatementReusable() throws {
    let db = try makeDatabase()
    let insert = try db.prepare("INSERT INTO events(title) VALUES (?)")
    let error = try #require(throws: SQLiteError.self) { try insert.execute(["説明会"]) }
    #expect(error.extendedResultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
    try insert.execute(["懇談会"])
    #expect(db.changes == 1)
    #expect(try db.prepare("SELECT count(*) FROM events").firstRow()?.int64(0) == 4)
  }

  @Test func returningAndLastInsertRowID() throws {
    let db = try makeDatabase()
    let row = try #require(try db.prepare("INSERT INTO events(title) VALUES (?) RETURNING id, title").firstRow(["懇談会"]))
    #expect(try row.int64("id") == 4)
    #expect(try row.string("title") == "懇談会")
    #expect(db.lastInsertRowID == 4)
    #expect(try db.prepare("SELECT count(*) FROM events WHERE title = '懇談会'").firstRow()?.int64(0) == 1)
  }

  @Test func changesCountTheLastStatementAndTotalChangesAll() throws {
    let db = try makeDatabase()
    let before = db.totalChanges
    try db.prepare("UPDATE events SET venue = ? WHERE venue IS NOT NULL").execute(["オンライン"])
    #expect(db.changes == 2)
    try db.prepare("DELETE FROM events WHERE venue IS NULL").execute()
    #expect(db.changes == 1)
    #expect(db.totalChanges - before == 3)
  }

  @Test func forEachRowStreamsAndStopsWhenTheBodyThrows() throws {
    struct Stop: Error {}
    let db = try makeDatabase()
    let select = try db.prepare("SELECT title FROM events ORDER BY id")
    var seen: [String] = []
    #expect(throws: Stop.self) {
      try select.forEachRow { row in
        seen.append(try row.string(0))
        if seen.count == 2 { throw Stop() }
      }
    }
    #expect(seen == ["説明会", "研修"])
    #expect(try select.rows().map { try $0.string(0) } == ["説明会", "研修", "総会"], "the statement starts over")
  }

  @Test func theCacheReturnsTheSameStatementWithFreshBindings() throws {
    let db = try makeDatabase()
    let sql = "SELECT title FROM events WHERE venue = ?"
    let first = try db.cachedStatement(sql)
    try first.bind(["講堂"])
    #expect(try first.step())
    let second = try db.cachedStatement(sql)
    #expect(first === second, "prepared once")
    // A cleared parameter is NULL and `venue = NULL` matches nothing; a leaked '講堂' would match.
    #expect(try second.step() == false)
    #expect(try db.cachedStatement(sql).rows(["会議室"]).map { try $0.string(0) } == ["研修"])
  }

  @Test func aCachedStatementLeftMidwayStartsOverWhenFetchedAgain() throws {
    let db = try makeDatabase()
    let sql = "SELECT title FROM events ORDER BY id"
    let first = try db.cachedStatement(sql)
    #expect(try first.step())
    #expect(try first.step())
    #expect(try db.cachedStatement(sql).rows().map { try $0.string(0) } == ["説明会", "研修", "総会"])
  }

  @Test func aCachedStatementDemandsItsValuesEveryTime() throws {
    let db = try makeDatabase()
    let sql = "SELECT count(*) FROM events WHERE venue = ?"
    #expect(try db.cachedStatement(sql).firstRow(["講堂"])?.int64(0) == 1)
    // Running it again without values must not quietly reuse '講堂'.
    #expect(throws: SQLiteError.self) { try db.cachedStatement(sql).firstRow() }
    #expect(try db.cachedStatement(sql).firstRow(["会議室"])?.int64(0) == 1)
  }

  @Test func theSameCachedSQLCanBeUsedWhileItIsStillIterating() throws {
    let db = try makeDatabase()
    let sql = "SELECT title FROM events WHERE id >= ? ORDER BY id"
    var outer: [String] = []
    var inner: [[String]] = []
    try db.cachedStatement(sql).forEachRow([1]) { row in
      outer.append(try row.string(0))
      // Guards against the reset restarting the outer loop for ever.
      try #require(outer.count <= 3, "the outer iteration restarted")
      inner.append(try db.cachedStatement(sql).rows([3]).map { try $0.string(0) })
    }
    #expect(outer == ["説明会", "研修", "総会"])
    #expect(inner == Array(repeating: ["総会"], count: 3))
  }
}
