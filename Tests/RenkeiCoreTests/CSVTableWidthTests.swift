import RenkeiCore
import Testing

/// A row whose number of fields differs from the header's is refused with its line, in words
/// staff read as written: one field, two fields.
@Suite struct CSVTableWidthTests {
  @Test(arguments: [
    ("id,bureau\nx1\n", "line 2: has 1 field, the header has 2"),
    ("id,bureau\nx1,kanto-shinetsu\nx2,kanto-shinetsu,11\n", "line 3: has 3 fields, the header has 2"),
    ("id\nx1,kanto-shinetsu\n", "line 2: has 2 fields, the header has 1"),
  ])
  func aRowOfAnotherWidthIsRefusedWithItsLine(text: String, message: String) {
    let error = #expect(throws: CSVError.self) { try CSVTable(parsing: text) }
    #expect(error?.description == message)
  }
}
