import RenkeiCore
import Testing

/// Writer ids and clock readings are parsed from every stored vector and stamp; the parsers
/// read bytes, and must accept exactly the written forms.
@Suite struct StampParsingTests {
  @Test(arguments: [("1685412000000-0", 1_685_412_000_000, 0), ("0-0", 0, 0), ("7-4294967295", 7, 4_294_967_295)])
  func timestampsParse(text: String, milliseconds: Int64, counter: UInt32) {
    let parsed = HybridTimestamp(rawValue: text)
    #expect(parsed == HybridTimestamp(milliseconds: milliseconds, counter: UInt32(counter)))
    #expect(parsed?.rawValue == text)
  }

  @Test(arguments: ["", "-", "1-", "-1", "1--0", "1-0-0", "-1-0", "1-4294967296", "1.5-0", "1-x", "１-0", "9223372036854775808-0"])
  func malformedTimestampsAreRefused(text: String) {
    #expect(HybridTimestamp(rawValue: text) == nil)
  }

  @Test func writerIDsParse() {
    #expect(WriterID(rawValue: "saitama.1") == WriterID(site: SiteID(rawValue: "saitama")!, epoch: 1))
    #expect(WriterID(rawValue: "kanto-shinetsu.12")?.rawValue == "kanto-shinetsu.12")
    for text in ["", ".", "saitama", "saitama.", ".1", "saitama.0", "saitama.-1", "Saitama.1", "sai.tama.1", "saitama.1\u{301}", "埼玉.1", "saitama.4294967296"] {
      #expect(WriterID(rawValue: text) == nil, "\(text.debugDescription) parsed")
    }
  }
}
