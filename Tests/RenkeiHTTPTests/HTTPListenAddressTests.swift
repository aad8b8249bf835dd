import RenkeiTestSupport
import Testing

@testable import RenkeiHTTP

@Suite struct HTTPListenAddressTests {
  @Test(arguments: [
    ("127.0.0.1:8470", "127.0.0.1", 8470, "127.0.0.1:8470"), ("0.0.0.0:0", "0.0.0.0", 0, "0.0.0.0:0"),
    ("localhost:65535", "localhost", 65_535, "localhost:65535"), ("[::1]:8443", "::1", 8443, "[::1]:8443"),
    ("[::]:8470", "::", 8470, "[::]:8470"), ("[fd00::2]:0", "fd00::2", 0, "[fd00::2]:0"),
    ("[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80, "[::ffff:127.0.0.1]:80"),
  ])
  func addressesAreRead(text: String, host: String, port: Int, authority: String) throws {
    let address = try HTTPListenAddress(text)
    #expect(address.host == host)
    #expect(address.port == port)
    #expect(address.authority() == authority)
  }

  @Test func theAuthorityNamesTheBoundPort() throws {
    #expect(try HTTPListenAddress("[::1]:0").authority(port: 41_000) == "[::1]:41000")
    #expect(try HTTPListenAddress("127.0.0.1:0").authority(port: 41_000) == "127.0.0.1:41000")
  }

  /// Each malformed form is refused with a reason that names what is wrong.
  @Test(arguments: [
    ("::1:8443", "in brackets"), ("::1", "in brackets"), ("::", "in brackets"), ("[::1:8443", "no closing bracket"),
    ("::1]:8443", "in brackets"), ("[::1]", "no port after"), ("[::1]8443", "a colon and a port must follow"),
    ("[::1]:", "port is missing"), ("[::1]:http", "http is not a number"), ("[::1]:65536", "65536 is not a number"),
    ("[::1]:-1", "-1 is not a number"), ("[::1]:+80", "+80 is not a number"), ("[localhost]:8470", "localhost is not an IPv6 address"),
    ("[127.0.0.1]:8470", "127.0.0.1 is not an IPv6 address"), ("[]:8470", "nothing is not an IPv6 address"),
    ("[::1%]:8470", "is not an IPv6 address"), ("127.0.0.1", "no port"), ("127.0.0.1:", "port is missing"),
    ("127.0.0.1:99999", "99999 is not a number"), ("127.0.0.1:0080000", "0080000 is not a number"), (":8470", "no host"),
    ("localhost:eighty", "eighty is not a number"), ("", "no port"),
  ])
  func malformedAddressesAreRefusedSayingWhy(text: String, reason: String) {
    #expect {
      try HTTPListenAddress(text)
    } throws: { error in
      guard let error = error as? HTTPServerError else { return false }
      return error.operation == "address" && error.message.contains(reason)
    }
  }
}
