/// A copied row reads its text columns' bytes from its own strings.
extension Row: RowColumns {
  public func utf8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
    var text = try string(index)
    return try text.withUTF8(body)
  }

  public func optionalUTF8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
    if case .null = values[index] { return nil }
    return try utf8(index, body)
  }
}
