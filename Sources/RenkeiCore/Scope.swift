/// Who a record belongs to: one prefecture, or a whole bureau (its shared schedule).
///
/// A prefecture replica sees its own records and its bureau's; a bureau replica sees its
/// own and all its prefectures'. Written as the prefecture code (`11`) or the bureau
/// name (`kanto-shinetsu`).
public enum Scope: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  case prefecture(Prefecture)
  case bureau(Bureau)

  /// Parses a prefecture code or a bureau name.
  public init(_ text: String) throws(RecordValidationError) {
    if let prefecture = Prefecture.withCode(text) {
      self = .prefecture(prefecture)
    } else if let bureau = Bureau.named(text) {
      self = .bureau(bureau)
    } else {
      throw RecordValidationError(
        field: "scope",
        reason: "\(text.debugDescription) is neither a JIS prefecture code (01–47) nor a bureau (\(Bureau.all.map(\.id).joined(separator: ", ")))")
    }
  }

  public var rawValue: String {
    switch self {
    case .prefecture(let prefecture): return prefecture.code
    case .bureau(let bureau): return bureau.id
    }
  }

  /// The scope as staff read it: a prefecture with its code first, the one `--scope` takes
  /// (`11 埼玉県`); a bureau by its name (`関東信越厚生局`), which its staff know by heart.
  public var label: String {
    switch self {
    case .prefecture(let prefecture): return "\(prefecture.code) \(prefecture.nameJa)"
    case .bureau(let bureau): return bureau.nameJa
    }
  }

  /// The bureau the scope belongs to.
  public var bureau: Bureau {
    switch self {
    case .prefecture(let prefecture): return prefecture.bureau
    case .bureau(let bureau): return bureau
    }
  }

  /// True when a replica of this scope may read records of `recordScope`: its own records,
  /// a prefecture's view of its bureau's shared records, a bureau's view of its prefectures.
  public func canRead(_ recordScope: Scope) -> Bool {
    switch (self, recordScope) {
    case (.prefecture(let mine), .prefecture(let theirs)): return mine == theirs
    case (.prefecture(let mine), .bureau(let theirs)): return mine.bureauID == theirs.id
    case (.bureau(let mine), _): return recordScope.bureau == mine
    }
  }

  /// True when a replica of this scope may write records of `recordScope`: a prefecture
  /// only its own, a bureau its own and its prefectures'.
  public func canWrite(_ recordScope: Scope) -> Bool {
    switch (self, recordScope) {
    case (.prefecture(let mine), .prefecture(let theirs)): return mine == theirs
    case (.prefecture, .bureau): return false
    case (.bureau(let mine), _): return recordScope.bureau == mine
    }
  }

  /// Every record scope this scope can read, for filtering in SQL with `IN (…)`.
  public var readableScopes: [Scope] {
    switch self {
    case .prefecture(let prefecture): return [self, .bureau(prefecture.bureau)]
    case .bureau(let bureau): return [self] + bureau.prefectures.map { .prefecture($0) }
    }
  }

  public var description: String { rawValue }

  public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    do { self = try Scope(text) } catch {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
