import Foundation

/// Finds the built executables next to the test bundle, so tests run the real binaries.
enum BinaryLocation {
  static func url(of name: String) -> URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // The test bundle may sit one level down (RenkeiPackageTests.xctest/...).
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
  }
}
