import Foundation
import Testing

/// `Protocol/openapi.yaml` is valid OpenAPI 3.1, checked by an independent validator
/// (openapi-spec-validator from PyPI, which .ci/run installs), external `$ref`s included.
@Suite struct OpenAPIValidationTests {
  static var validator: String? {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/local/bin", "/root/.local/bin"]
    return paths.map { $0 + "/openapi-spec-validator" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  static var specification: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Protocol/openapi.yaml").path
  }

  /// Runs a checking tool and returns its exit status and what it printed (both streams).
  static func check(_ executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  @Test(.enabled(if: validator != nil, "openapi-spec-validator is not installed: python3 -m pip install openapi-spec-validator"))
  func theSpecificationIsValidOpenAPI31() throws {
    let (status, text) = try Self.check(Self.validator!, [Self.specification])
    #expect(status == 0, "\(text)")
    #expect(text.contains("OK"), "\(text)")
    #expect(try String(contentsOfFile: Self.specification, encoding: .utf8).hasPrefix("openapi: 3.1"))
  }
}
