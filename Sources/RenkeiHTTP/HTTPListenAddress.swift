import Glibc

/// Where a server listens, as an operator writes it: `host:port`, where the host is an
/// IPv4 address or a name (`127.0.0.1:8470`, `localhost:8470`), or an IPv6 address in
/// brackets (`[::1]:8470`, `[::]:8470` for every address), as in a URL (RFC 3986 §3.2.2).
/// Port 0 lets the system pick a free one.
public struct HTTPListenAddress: Sendable, Hashable, CustomStringConvertible {
  /// The host as the resolver takes it: an IPv6 address without its brackets.
  public let host: String
  public let port: Int

  /// Reads `text`.
  ///
  /// - Throws: ``HTTPServerError`` (operation `address`) saying what is wrong: no port or
  ///   one that is not a number from 0 to 65535, an IPv6 address without brackets or with
  ///   one missing, a name or anything else but an IPv6 address in brackets, no host.
  public init(_ text: String) throws(HTTPServerError) {
    func invalid(_ reason: String) -> HTTPServerError { HTTPServerError(operation: "address", message: reason) }
    let hostPart: Substring
    let portPart: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else {
        throw invalid("the IPv6 address has no closing bracket; write it as [::1]:8470")
      }
      let address = text[text.index(after: text.startIndex)..<close]
      guard Self.isIPv6Address(address) else {
        throw invalid("\(address.isEmpty ? "nothing" : String(address)) is not an IPv6 address; only one goes in brackets, as [::1]:8470")
      }
      let rest = text[text.index(after: close)...]
      guard rest.hasPrefix(":") else {
        throw invalid(rest.isEmpty ? "no port after the address; write it as [\(address)]:8470" : "a colon and a port must follow ]")
      }
      hostPart = address
      portPart = rest.dropFirst()
    } else {
      guard let colon = text.lastIndex(of: ":") else { throw invalid("no port; write it as host:port, such as 127.0.0.1:8470") }
      hostPart = text[..<colon]
      portPart = text[text.index(after: colon)...]
      guard !hostPart.contains(":") && !hostPart.contains("]") else {
        throw invalid("an IPv6 address goes in brackets, as [::1]:8470")
      }
      guard !hostPart.isEmpty else { throw invalid("no host before the port; 0.0.0.0 or [::] listens on every address") }
    }
    guard !portPart.isEmpty, portPart.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
      portPart.utf8.count <= 5, let port = Int(portPart), (0...65_535).contains(port)
    else {
      throw invalid("the port \(portPart.isEmpty ? "is missing" : "\(portPart) is not a number from 0 to 65535")")
    }
    self.host = String(hostPart)
    self.port = port
  }

  /// Whether `text` is an IPv6 address in text form (RFC 4291 §2.2), without brackets.
  static func isIPv6Address(_ text: Substring) -> Bool {
    var address = in6_addr()
    return inet_pton(AF_INET6, String(text), &address) == 1
  }

  /// Whether the host is an IPv6 address, which a URL writes in brackets.
  public var isIPv6: Bool { host.contains(":") }

  /// The host and `port` as a URL's authority writes them: `127.0.0.1:8470`, `[::1]:8470`.
  public func authority(port: Int? = nil) -> String {
    (isIPv6 ? "[\(host)]" : host) + ":\(port ?? self.port)"
  }

  public var description: String { authority() }
}
