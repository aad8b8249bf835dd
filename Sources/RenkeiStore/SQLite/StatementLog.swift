/// The statements a connection ran, with the values bound to each, in the order they ran:
/// what the benchmark replays into a second database to measure a workload's SQLite work
/// apart from the Swift around it.
///
/// Holds what runs through ``Statement/execute(_:)``, ``Statement/rows(_:)``,
/// ``Statement/forEachRow(_:_:)``, ``Statement/firstRow(_:)`` and
/// ``Statement/withFirstRow(_:_:)``: every statement a push that succeeds runs, its nested
/// savepoints included. Not ``Database/execute(_:)``'s SQL text, so not the BEGIN and COMMIT
/// around a transaction, nor the ROLLBACK TO a failed nested step runs (a log of work that
/// failed part way does not replay it faithfully), nor a statement bound and stepped by hand.
///
/// Not Sendable: it belongs to its connection's owner, like the connection.
public final class StatementLog {
  public struct Entry: Sendable {
    public let sql: String
    public let values: [DatabaseValue]
    /// False when the caller read only the first row (``Statement/firstRow(_:)`` and
    /// ``Statement/withFirstRow(_:_:)``), which stops SQLite after that row.
    public let readsEveryRow: Bool
  }

  public private(set) var entries: [Entry] = []

  public init() {}

  func record(_ sql: String, _ values: [DatabaseValue], readsEveryRow: Bool) {
    entries.append(Entry(sql: sql, values: values, readsEveryRow: readsEveryRow))
  }

  public func removeAll() { entries.removeAll(keepingCapacity: true) }
}
