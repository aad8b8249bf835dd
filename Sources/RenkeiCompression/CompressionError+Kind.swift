extension CompressionError {
  /// What rule the input broke. A struct over a private enum, so kinds can be added
  /// without breaking code that matches on them.
  public struct Kind: Sendable, Hashable, CustomStringConvertible {
    private enum Base: String, Sendable {
      case truncatedInput = "truncated-input"
      case invalidBlockType = "invalid-block-type"
      case storedLengthMismatch = "stored-length-mismatch"
      case invalidCodeLengths = "invalid-code-lengths"
      case invalidSymbol = "invalid-symbol"
      case distanceTooFarBack = "distance-too-far-back"
      case outputLimitExceeded = "output-limit-exceeded"
      case notGzip = "not-gzip"
      case unsupportedMethod = "unsupported-method"
      case reservedFlags = "reserved-flags"
      case headerChecksumMismatch = "header-checksum-mismatch"
      case checksumMismatch = "checksum-mismatch"
      case lengthMismatch = "length-mismatch"
      case trailingData = "trailing-data"
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// The input ends before the stream or the gzip trailer does.
    public static let truncatedInput = Kind(.truncatedInput)
    /// A DEFLATE block header names the reserved block type 3.
    public static let invalidBlockType = Kind(.invalidBlockType)
    /// A stored block's LEN is not the complement of its NLEN.
    public static let storedLengthMismatch = Kind(.storedLengthMismatch)
    /// A dynamic block's code lengths do not form a usable prefix code: over-subscribed,
    /// incomplete, too many codes, a repeat with nothing to repeat or past the end, or no
    /// end-of-block code.
    public static let invalidCodeLengths = Kind(.invalidCodeLengths)
    /// A code decodes to a symbol the format reserves (literal/length 286–287, distance
    /// 30–31), or to a distance in a block that has no distance codes.
    public static let invalidSymbol = Kind(.invalidSymbol)
    /// A match refers further back than the output produced so far.
    public static let distanceTooFarBack = Kind(.distanceTooFarBack)
    /// The output would pass the caller's limit: a decompression bomb, refused before
    /// anything past the limit is allocated.
    public static let outputLimitExceeded = Kind(.outputLimitExceeded)
    /// The input does not start with the gzip magic bytes 1F 8B.
    public static let notGzip = Kind(.notGzip)
    /// The gzip header names a compression method other than 8 (DEFLATE).
    public static let unsupportedMethod = Kind(.unsupportedMethod)
    /// The gzip header sets flag bits RFC 1952 reserves.
    public static let reservedFlags = Kind(.reservedFlags)
    /// The gzip header's own CRC-16 (FHCRC) does not match it.
    public static let headerChecksumMismatch = Kind(.headerChecksumMismatch)
    /// The CRC-32 in the gzip trailer does not match the decompressed data.
    public static let checksumMismatch = Kind(.checksumMismatch)
    /// The ISIZE in the gzip trailer does not match the decompressed length.
    public static let lengthMismatch = Kind(.lengthMismatch)
    /// Bytes follow the last gzip member that do not start another member.
    public static let trailingData = Kind(.trailingData)

    public var description: String { base.rawValue }
  }
}
