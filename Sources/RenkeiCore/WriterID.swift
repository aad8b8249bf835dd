/// The identity under which a replica writes: its site and its epoch.
///
/// A site keeps its name for life, but every time its replica is restored from a backup it
/// takes a new epoch, so counters and sequence numbers written after the restore can never
/// collide with ones the lost copy already sent. Written as `site.epoch`, e.g. `saitama.1`.
public struct WriterID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let site: SiteID
  public let epoch: UInt32

  public init(site: SiteID, epoch: UInt32) {
    self.site = site
    self.epoch = epoch
  }

  /// Parses `site.epoch`; nil when either part is malformed or the epoch is zero.
  public init?(rawValue: String) {
    // Searched as bytes: a valid id is ASCII, and every stored vector key is parsed here.
    guard let dot = rawValue.utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
    guard let site = SiteID(rawValue: String(rawValue[..<dot])),
      let epoch = UInt32(rawValue[rawValue.utf8.index(after: dot)...]), epoch > 0
    else { return nil }
    self.init(site: site, epoch: epoch)
  }

  public var rawValue: String { site.rawValue + "." + String(epoch) }
  public var description: String { rawValue }

  public static func < (lhs: WriterID, rhs: WriterID) -> Bool {
    (lhs.site.rawValue, lhs.epoch) < (rhs.site.rawValue, rhs.epoch)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let value = WriterID(rawValue: raw) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "\(raw.debugDescription) is not a writer id (site.epoch)")
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
