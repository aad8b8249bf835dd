/// Reading a result row's columns, whether copied out (``Row``) or read where SQLite holds
/// them (``StatementRow``): code that decodes a row is written once for both.
public protocol RowColumns {
  /// The text of column `index`; throws for a column that is not text.
  func string(_ index: Int) throws -> String
  /// The same, nil for NULL.
  func optionalString(_ index: Int) throws -> String?
  /// The integer of column `index`; throws for a column that is not an integer.
  func int64(_ index: Int) throws -> Int64
  /// `body` on the UTF-8 bytes of a text column; throws as `string(_:)` does for anything else.
  func utf8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T
  /// The same, nil for NULL.
  func optionalUTF8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T?
}
