/// One result row, decoded when it was stepped to, so it outlives its statement.
public struct Row: Sendable {
  public let columnNames: [String]
  public let values: [DatabaseValue]

  public subscript(index: Int) -> DatabaseValue { values[index] }

  public func int64(_ index: Int) throws -> Int64 {
    guard case .integer(let value) = values[index] else { throw mismatch(index, "an integer") }
    return value
  }

  public func optionalInt64(_ index: Int) throws -> Int64? {
    if case .null = values[index] { return nil }
    return try int64(index)
  }

  public func string(_ index: Int) throws -> String {
    guard case .text(let value) = values[index] else { throw mismatch(index, "text") }
    return value
  }

  public func optionalString(_ index: Int) throws -> String? {
    if case .null = values[index] { return nil }
    return try string(index)
  }

  public func bytes(_ index: Int) throws -> [UInt8] {
    guard case .blob(let value) = values[index] else { throw mismatch(index, "a blob") }
    return value
  }

  public func optionalBytes(_ index: Int) throws -> [UInt8]? {
    if case .null = values[index] { return nil }
    return try bytes(index)
  }

  public func bool(_ index: Int) throws -> Bool { try int64(index) != 0 }

  public func string(_ column: String) throws -> String { try string(try index(of: column)) }
  public func int64(_ column: String) throws -> Int64 { try int64(try index(of: column)) }

  private func index(of column: String) throws -> Int {
    guard let index = columnNames.firstIndex(of: column) else {
      throw SQLiteError(extendedResultCode: SQLiteError.misuse, message: "no column named \(column)")
    }
    return index
  }

  private func mismatch(_ index: Int, _ expected: String) -> SQLiteError {
    SQLiteError(
      extendedResultCode: SQLiteError.misuse,
      message: "column \(index) (\(columnNames[index])) holds \(values[index]), not \(expected)")
  }
}
