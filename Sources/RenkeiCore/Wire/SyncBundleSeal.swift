import Foundation

/// Seals and opens bundle files: one header line naming the site and the HMAC-SHA-256 of
/// the body, then the body (the bundle as JSON). The HMAC covers the body's exact bytes,
/// so no JSON canonicalisation is needed, and the header says whose key to check it with.
///
/// The key is not the token itself but ``bundleKey(token:)``: the hub never stores tokens,
/// only their hash and this derived key, which can seal bundles and do nothing else.
public enum SyncBundleSeal {
  static let magic = "RENKEI-BUNDLE 1"

  /// The bundle key of a site's token: HMAC-SHA-256(token, "renkei bundle key v1").
  public static func bundleKey(token: String) -> [UInt8] {
    HMAC.sha256(key: Array(token.utf8), message: Array("renkei bundle key v1".utf8))
  }

  public static func seal(_ bundle: SyncBundle, key: [UInt8]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let body = try encoder.encode(bundle)
    let mac = HMAC.sha256(key: key, message: body).map { String(format: "%02x", $0) }.joined()
    return Data("\(magic) \(bundle.site.rawValue) \(mac)\n".utf8) + body
  }

  /// The site a sealed bundle claims to come from, read before its key is looked up.
  public static func claimedSite(of data: Data) throws(SyncBundleError) -> SiteID {
    try header(of: data).site
  }

  /// Checks the seal with `key` and decodes the bundle. Refuses the whole bundle if one
  /// byte differs, if it names another site than its header, or if it is not a bundle.
  public static func open(_ data: Data, key: [UInt8]) throws(SyncBundleError) -> SyncBundle {
    let (site, mac, body) = try header(of: data)
    let expected = HMAC.sha256(key: key, message: body)
    guard ConstantTime.equal(expected, mac) else {
      throw SyncBundleError("the bundle's seal does not match: it was altered, damaged, or sealed with another site's token")
    }
    let bundle: SyncBundle
    do {
      bundle = try JSONDecoder().decode(SyncBundle.self, from: body)
    } catch {
      throw SyncBundleError("the bundle's body cannot be read: \(error)")
    }
    guard bundle.format == SyncBundle.format else { throw SyncBundleError("the bundle is \(bundle.format), not \(SyncBundle.format)") }
    guard bundle.site == site else { throw SyncBundleError("the bundle's header names \(site) but its body \(bundle.site)") }
    return bundle
  }

  private static func header(of data: Data) throws(SyncBundleError) -> (site: SiteID, mac: [UInt8], body: Data) {
    guard let newline = data.firstIndex(of: UInt8(ascii: "\n")), newline - data.startIndex < 200 else {
      throw SyncBundleError("this is not a Renkei bundle (no header line)")
    }
    let parts = String(decoding: data[data.startIndex..<newline], as: UTF8.self).split(separator: " ")
    guard parts.count == 4, "\(parts[0]) \(parts[1])" == magic, let site = SiteID(rawValue: String(parts[2])),
      let mac = hexBytes(parts[3]), mac.count == 32
    else {
      throw SyncBundleError("this is not a Renkei bundle (bad header line)")
    }
    return (site, mac, Data(data[(newline + 1)...]))
  }

  private static func hexBytes(_ text: Substring) -> [UInt8]? {
    guard text.utf8.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(index, offsetBy: 2)
      guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
      bytes.append(byte)
      index = next
    }
    return bytes
  }
}

/// Why a bundle was refused; nothing of it was applied.
public struct SyncBundleError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
