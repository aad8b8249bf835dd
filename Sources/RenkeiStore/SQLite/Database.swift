import CSQLite

/// One SQLite connection.
///
/// Not Sendable: a connection and its statements are used by one owner at a time (the
/// CLI's single thread, or the hub's serialising queue), which is also why it is opened
/// with `SQLITE_OPEN_NOMUTEX` — SQLite's own mutex would only guard what the owner already does.
public final class Database {
  public enum JournalMode: String, Sendable { case wal, delete, memory }
  public enum Synchronous: String, Sendable { case full, normal, off }
  public enum TransactionKind: String, Sendable { case deferred, immediate, exclusive }

  public struct Options: Sendable {
    public var journalMode: JournalMode = .wal
    public var synchronous: Synchronous = .full
    public var busyTimeoutMilliseconds: Int32 = 5000
    public var foreignKeys = true
    public var readOnly = false
    /// The page size a new database file is made with; nil for SQLite's default (4096).
    /// SQLite fixes a file's page size when it first writes it, so this does nothing to an
    /// existing file.
    public var pageSize: Int?
    /// Checkpoints run on a queue of their own instead of inside the commit that fills the
    /// WAL (see ``BackgroundCheckpointer``): for the hub's long-lived connection. A short-lived
    /// one may have it too; closing waits for a checkpoint its commits started.
    public var checkpointsInBackground = false
    public init() {}
  }

  /// The oldest SQLite with what Renkei uses: STRICT tables (3.37) and RETURNING (3.35).
  public static let minimumVersionNumber: Int32 = 3_037_000

  public let path: String
  private var handle: OpaquePointer?
  private var cache: [String: Statement] = [:]
  private var savepointDepth = 0
  private var savepointStatements: [(savepoint: String, release: String)] = []
  /// Set when SQLite ended the whole transaction under a nested `inTransaction`, so the
  /// outermost one rolls back instead of committing.
  private var transactionAborted = false
  /// The queue that checkpoints this connection's WAL, when the options asked for one and
  /// the database has a WAL file.
  public private(set) var backgroundCheckpointer: BackgroundCheckpointer?
  /// When set, every statement this connection hands out from now on notes each run in it
  /// (see ``StatementLog``); nil, as it is outside the benchmark, notes nothing.
  public var statementLog: StatementLog?

  public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

  public init(path: String, options: Options = .init()) throws {
    let found = sqlite3_libversion_number()
    guard found >= Self.minimumVersionNumber else {
      throw SQLiteError(
        extendedResultCode: SQLiteError.error,
        message: "SQLite \(Self.sqliteVersion) is too old: Renkei needs 3.37.0 or newer (install a newer libsqlite3)")
    }
    self.path = path
    var connection: OpaquePointer?
    let flags = (options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &connection, flags, nil)
    guard code == SQLITE_OK, let connection else {
      let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      sqlite3_close_v2(connection)
      throw SQLiteError(extendedResultCode: code, message: "\(message): \(path)")
    }
    handle = connection
    sqlite3_extended_result_codes(connection, 1)
    do {
      sqlite3_busy_timeout(connection, options.busyTimeoutMilliseconds)
      // Before anything writes the file: switching to WAL already fixes its page size.
      if let pageSize = options.pageSize, !options.readOnly { try execute("PRAGMA page_size = \(pageSize)") }
      // Reading the schema here makes a file that is not a database fail now, clearly.
      try execute("SELECT count(*) FROM sqlite_schema")
      if path != ":memory:" && !path.isEmpty && !options.readOnly {
        let mode = try prepare("PRAGMA journal_mode = \(options.journalMode.rawValue)").firstRow().map { try $0.string(0) }
        guard mode == options.journalMode.rawValue else {
          throw SQLiteError(extendedResultCode: SQLiteError.error, message: "journal_mode stayed \(mode ?? "?"), not \(options.journalMode.rawValue)")
        }
      }
      try execute("PRAGMA synchronous = \(options.synchronous.rawValue)")
      try execute("PRAGMA foreign_keys = \(options.foreignKeys ? "ON" : "OFF")")
      // Every library call nests as a savepoint (see inTransaction), and SQLite keeps a
      // savepoint's undo pages in a temporary journal: in memory it is not a file write
      // per page an edit touches. It holds one savepoint's pages and is freed at RELEASE.
      try execute("PRAGMA temp_store = MEMORY")
      let isWALFile = options.journalMode == .wal && !options.readOnly && path != ":memory:" && !path.isEmpty
      if options.checkpointsInBackground && isWALFile {
        // SQLite's full name of the file it opened, which a relative path would not stay.
        let opened = sqlite3_db_filename(connection, "main").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let checkpointer = BackgroundCheckpointer(path: opened ?? path)
        backgroundCheckpointer = checkpointer
        // Replaces SQLite's autocheckpoint, which is a WAL hook too.
        sqlite3_wal_hook(connection, walHook, Unmanaged.passUnretained(checkpointer).toOpaque())
      }
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  /// Finalizes cached statements and closes the connection. Safe to call twice.
  public func close() {
    cache.removeAll()
    if let handle, let backgroundCheckpointer {
      // Before the connection closes, so the one closing last is this one (unless another
      // connection has the file open): SQLite then checkpoints the whole WAL and removes it,
      // as without the checkpointer.
      sqlite3_wal_hook(handle, nil, nil)
      backgroundCheckpointer.stop()
    }
    backgroundCheckpointer = nil
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }

  func connection() throws -> OpaquePointer {
    guard let handle else { throw SQLiteError(extendedResultCode: SQLiteError.misuse, message: "the database is closed") }
    return handle
  }

  /// Runs one or more statements that return no rows.
  public func execute(_ sql: String) throws {
    let connection = try connection()
    var message: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(connection, sql, nil, nil, &message)
    guard code == SQLITE_OK else {
      let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(connection))
      sqlite3_free(message)
      throw SQLiteError(
        extendedResultCode: sqlite3_extended_errcode(connection), message: text, sql: sql, systemErrorNumber: sqlite3_system_errno(connection))
    }
  }

  public func prepare(_ sql: String) throws -> Statement {
    let statement = try Statement(connection: try connection(), sql: sql)
    statement.log = statementLog
    return statement
  }

  /// A statement prepared once and reused: reset and cleared before each use. While that
  /// statement is still handing rows to a `forEachRow` body, the caller gets a fresh one.
  public func cachedStatement(_ sql: String) throws -> Statement {
    if let statement = cache[sql] {
      // Resetting a statement whose rows a caller is still walking would restart that
      // caller's loop with these bindings; this use gets a statement of its own instead.
      if statement.isIterating { return try prepare(sql) }
      statement.reset()
      statement.clearBindings()
      statement.isPristine = true
      statement.log = statementLog
      return statement
    }
    let statement = try prepare(sql)
    cache[sql] = statement
    return statement
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  /// Nested calls become savepoints, so library calls compose into one transaction.
  public func inTransaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
    if savepointDepth > 0 || !isAutocommit {
      let insideOurs = savepointDepth > 0
      savepointDepth += 1
      defer { savepointDepth -= 1 }
      // Cached: a nested call is the common case, once per library call in a batch. The SQL
      // too, so each call does not build two strings to look the statements up by.
      let (savepoint, release) = savepointSQL(depth: savepointDepth)
      try cachedStatement(savepoint).execute()
      do {
        let result = try body()
        try cachedStatement(release).execute()
        return result
      } catch {
        if isAutocommit && insideOurs {
          // SQLite rolled back the whole transaction (RAISE(ROLLBACK), ON CONFLICT ROLLBACK,
          // some I/O errors), not just this savepoint. If the caller catches this and goes on,
          // each later write would commit on its own: hold them in a stand-in transaction
          // that the outermost call rolls back.
          transactionAborted = true
          try? execute("BEGIN")
        } else {
          try? execute("ROLLBACK TO renkei_\(savepointDepth)")
          try? execute("RELEASE renkei_\(savepointDepth)")
        }
        throw error
      }
    }
    try execute("BEGIN \(kind.rawValue.uppercased())")
    savepointDepth = 1
    defer {
      savepointDepth = 0
      transactionAborted = false
    }
    do {
      let result = try body()
      guard !transactionAborted else {
        throw SQLiteError(
          extendedResultCode: SQLiteError.abort,
          message: "SQLite rolled back this transaction after an error in a nested one; nothing was committed")
      }
      do { try execute("COMMIT") } catch {
        try? execute("ROLLBACK")
        throw error
      }
      return result
    } catch {
      if !isAutocommit { try? execute("ROLLBACK") }
      throw error
    }
  }

  /// `SAVEPOINT renkei_<depth>` and its `RELEASE`, built once per depth.
  private func savepointSQL(depth: Int) -> (savepoint: String, release: String) {
    while savepointStatements.count < depth {
      let name = "renkei_\(savepointStatements.count + 1)"
      savepointStatements.append(("SAVEPOINT \(name)", "RELEASE \(name)"))
    }
    return savepointStatements[depth - 1]
  }

  /// True when SQLite opened the file read-only: asked to, or because it may not write it
  /// (a read-only file system, the file's permissions), which SQLite does without an error.
  public var isReadOnly: Bool { handle.map { sqlite3_db_readonly($0, "main") == 1 } ?? true }
  public var isAutocommit: Bool { handle.map { sqlite3_get_autocommit($0) != 0 } ?? true }
  public var isInTransaction: Bool { !isAutocommit }
  public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }
  public var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }
  public var totalChanges: Int { handle.map { Int(sqlite3_total_changes($0)) } ?? 0 }

  public var userVersion: Int64 {
    get throws { try prepare("PRAGMA user_version").firstRow().map { try $0.int64(0) } ?? 0 }
  }

  public func setUserVersion(_ version: Int64) throws { try execute("PRAGMA user_version = \(version)") }

  /// `PRAGMA integrity_check`: `["ok"]` when the file is sound.
  public func integrityCheck() throws -> [String] {
    try prepare("PRAGMA integrity_check").rows().map { try $0.string(0) }
  }

  /// Copies the whole database to `path` with SQLite's online backup API, while it stays
  /// usable.
  public func backup(to path: String) throws {
    let target = try Database(path: path, options: { var o = Options(); o.journalMode = .delete; return o }())
    let source = try connection()
    let destination = try target.connection()
    guard let backup = sqlite3_backup_init(destination, "main", source, "main") else {
      throw SQLiteError(extendedResultCode: sqlite3_extended_errcode(destination), message: String(cString: sqlite3_errmsg(destination)))
    }
    let code = sqlite3_backup_step(backup, -1)
    sqlite3_backup_finish(backup)
    guard code == SQLITE_DONE else {
      throw SQLiteError(extendedResultCode: code, message: "backup to \(path) failed: \(String(cString: sqlite3_errstr(code)))")
    }
    // The copied pages include the source's header, which marks a WAL database: opening the
    // copy would then make `-wal` and `-shm` files beside it. A backup is one file.
    try target.execute("PRAGMA journal_mode = DELETE")
    target.close()
  }
}

/// The WAL hook of a connection with a ``BackgroundCheckpointer``: SQLite calls it after each
/// commit, on the committing thread.
private func walHook(
  context: UnsafeMutableRawPointer?, connection: OpaquePointer?, schema: UnsafePointer<CChar>?, frames: Int32
) -> Int32 {
  guard let context else { return SQLITE_OK }
  Unmanaged<BackgroundCheckpointer>.fromOpaque(context).takeUnretainedValue()
    .committed(frames: frames, connection: connection, schema: schema)
  // The commit has happened whatever this returns; an error here would only make the
  // statement that committed report one.
  return SQLITE_OK
}
