import Foundation
import Testing

@Suite struct BinaryLocationTests {
  @Test func theBuiltBinariesAreFound() {
    for name in ["renkei", "renkei-hub"] {
      #expect(FileManager.default.isExecutableFile(atPath: BinaryLocation.url(of: name).path), "\(name) not built next to the tests")
    }
  }
}
