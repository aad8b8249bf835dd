import Foundation

/// A hub database file in a temporary directory of its own, for tests that reach it through
/// a second connection or a service (an in-memory hub has neither); `remove()` deletes it.
struct ScratchHubFile {
  let directory: URL

  init(_ purpose: String) throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-hub-\(purpose)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  var path: String { directory.appendingPathComponent("hub.sqlite").path }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}
