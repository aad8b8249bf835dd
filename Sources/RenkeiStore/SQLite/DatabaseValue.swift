/// A value SQLite stores: its five storage classes.
public enum DatabaseValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])

  public init(stringLiteral value: String) { self = .text(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(nilLiteral: ()) { self = .null }
  public init(_ value: String?) { self = value.map(DatabaseValue.text) ?? .null }
  public init(_ value: Int64?) { self = value.map(DatabaseValue.integer) ?? .null }
  public init(_ value: Int) { self = .integer(Int64(value)) }
  public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
