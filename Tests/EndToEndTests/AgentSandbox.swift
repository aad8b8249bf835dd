import Foundation
import Testing

/// A temporary directory holding a token file and any number of offline `renkei` replicas,
/// with the built `renkei` binary run against them as a separate process. Removed on deinit.
final class AgentSandbox {
  let root: String
  /// A token of the right shape; the hub (`http://127.0.0.1:9`) is never contacted.
  let tokenFile: String
  static let hub = "http://127.0.0.1:9"

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    tokenFile = root + "/site.token"
    try ("rk_" + String(repeating: "0123456789abcdef", count: 4) + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Makes an offline replica in `root/name` and returns its directory.
  func replica(_ name: String, site: String? = nil, scope: String) throws -> String {
    let directory = root + "/" + name
    let result = try run([
      "--dir", directory, "init", "--site", site ?? name, "--hub", Self.hub, "--token-file", tokenFile, "--scope", scope, "--author", "田中",
    ])
    guard result.status == 0 else { throw EndToEndFailure("init \(name) failed: \(result.stderr)") }
    return directory
  }

  /// Writes `text` to `root/name` and returns the path.
  func file(_ name: String, _ text: String) throws -> String {
    let path = root + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// An executable shell script `root/name` running `body`, for use as `$EDITOR`.
  func script(_ name: String, _ body: String) throws -> String {
    let path = try file(name, "#!/bin/sh\n" + body + "\n")
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
  }

  /// Runs `renkei` with these arguments; standard input is `input`, else empty, so nothing
  /// ever waits on the terminal.
  func run(_ arguments: [String], environment: [String: String] = [:], input: Data = Data()) throws -> ProcessResult {
    let process = Process()
    process.executableURL = BinaryLocation.url(of: "renkei")
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged["RENKEI_HOME"] = nil
    merged.merge(environment) { _, new in new }
    process.environment = merged
    let stdin = Pipe()
    let out = Pipe()
    let err = Pipe()
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs `renkei --dir directory …`.
  func run(_ directory: String, _ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
    try run(["--dir", directory] + arguments, environment: environment)
  }

  /// Runs `renkei --dir directory …`, requiring exit 0 and a quiet standard error; returns
  /// standard output without its final line break.
  @discardableResult
  func ok(_ directory: String, _ arguments: String..., environment: [String: String] = [:]) throws -> String {
    let result = try run(["--dir", directory] + arguments, environment: environment)
    guard result.status == 0, result.stderr.isEmpty else {
      throw EndToEndFailure("renkei \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
  }

  /// Runs a `--json` command and decodes its output.
  func json<T: Decodable>(_ type: T.Type, _ directory: String, _ arguments: String...) throws -> T {
    let result = try run(["--dir", directory] + arguments)
    guard result.status == 0 else {
      throw EndToEndFailure("renkei \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return try JSONDecoder().decode(T.self, from: Data(result.stdout.utf8))
  }

  /// The fixture of the bureaus' events, found from this file's place in the repository.
  static let eventsCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "../../Examples/data/events.csv"
  )
  .standardized.path
}

/// A record as `--json` prints it (Protocol/schemas/record-version.schema.json), the parts
/// the tests read.
struct JSONRecord: Decodable {
  var id: String
  var kind: String
  var scope: String
  var fields: [String: JSONValue]
  var deleted: Bool
  var localEdits: Bool

  enum CodingKeys: String, CodingKey {
    case id, kind, scope, fields, deleted
    case localEdits = "local_edits"
  }
}

/// A field value as JSON carries it: null, text, a whole number or a set of texts.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
  case null
  case string(String)
  case integer(Int64)
  case strings([String])

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else {
      self = .strings(try container.decode([String].self))
    }
  }

  var description: String {
    switch self {
    case .null: return "null"
    case .string(let text): return text.debugDescription
    case .integer(let number): return String(number)
    case .strings(let values): return values.description
    }
  }
}

/// Terminal columns, written independently of the code under test: 2 for the East-Asian
/// wide and full-width blocks Renkei's data uses, 0 for combining marks, 1 otherwise.
enum TerminalWidth {
  static func of<S: StringProtocol>(_ text: S) -> Int {
    text.unicodeScalars.reduce(0) { width, scalar in
      let value = scalar.value
      if scalar.properties.generalCategory == .nonspacingMark { return width }
      let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
      ]
      return width + (wide.contains { $0.contains(value) } ? 2 : 1)
    }
  }

  /// The display columns where the columns of a rendered table start, read from its
  /// separator line (`----------  ----  …`).
  static func columnStarts(ofSeparator line: Substring) -> [Int] {
    var starts: [Int] = []
    var previous: Character = " "
    for (offset, character) in line.enumerated() {
      if character == "-" && previous == " " { starts.append(offset) }
      previous = character
    }
    return starts
  }

  /// The display column each character of `line` starts at, plus the line's full width.
  static func boundaries(of line: Substring) -> [Int] {
    var result = [0]
    for character in line { result.append(result.last! + of(String(character))) }
    return result
  }
}
