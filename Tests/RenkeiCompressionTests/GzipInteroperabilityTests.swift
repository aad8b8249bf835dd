import Foundation
import Testing

@testable import RenkeiCompression

private let systemGzip = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Renkei's gzip against the system's `gzip`, both ways: the format is what other
/// implementations read and write, not what ours agrees with itself on.
@Suite(.enabled(if: systemGzip != nil, "the system `gzip` binary is not installed"))
struct GzipInteroperabilityTests {

  /// Runs the system gzip with `arguments`, feeding `input` on stdin; its stdout.
  private func runGzip(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-gzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputURL = directory.appendingPathComponent("in")
    let outputURL = directory.appendingPathComponent("out")
    try Data(input).write(to: inputURL)
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: systemGzip!)
    process.arguments = arguments
    process.standardInput = try FileHandle(forReadingFrom: inputURL)
    process.standardOutput = try FileHandle(forWritingTo: outputURL)
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "gzip \(arguments) exited \(process.terminationStatus)")
    return [UInt8](try Data(contentsOf: outputURL))
  }

  static let inputs: [(SampleData.Shape, Int)] = [
    (.structured, 0), (.structured, 1), (.random, 1), (.structured, 5_000), (.structured, 300_000),
    (.random, 100_000), (.repetitive, 500_000), (.zeros, 70_000),
  ]

  @Test(arguments: inputs.indices)
  func systemGzipDecompressesOurs(index: Int) throws {
    let (shape, size) = Self.inputs[index]
    let input = SampleData.make(shape, count: size, seed: UInt64(index))
    #expect(try runGzip(["-dc"], input: Gzip.compress(input)) == input)
  }

  @Test(arguments: inputs.indices, ["-1", "-6", "-9"])
  func weDecompressSystemGzips(index: Int, level: String) throws {
    let (shape, size) = Self.inputs[index]
    let input = SampleData.make(shape, count: size, seed: UInt64(index))
    let compressed = try runGzip(["-c", level], input: input)
    #expect(try Gzip.decompress(compressed, limit: input.count) == input)
  }

  @Test func ourOutputIsWithinAFewPercentOfSystemGzips() throws {
    let input = SampleData.make(.structured, count: 300_000, seed: 21)
    let theirs = try runGzip(["-c", "-6"], input: input).count
    let ours = Gzip.compress(input).count
    #expect(Double(ours) <= Double(theirs) * 1.15, "ours \(ours) bytes, gzip -6 \(theirs) bytes")
  }
}
