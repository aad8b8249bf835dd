import Foundation

/// A directory of working files on real disk, removed when the run ends.
final class ScratchDirectory {
  let path: String

  init() throws {
    let base = ProcessInfo.processInfo.environment["RENKEI_BENCH_TMPDIR"] ?? NSTemporaryDirectory()
    var generator = SystemRandomNumberGenerator()
    path = (base as NSString).appendingPathComponent("renkei-bench-\(getpid())-\(UInt32.random(in: .min ... .max, using: &generator))")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  }

  /// A path inside the directory; `directory: true` creates it.
  func path(_ name: String, directory: Bool = false) throws -> String {
    let full = (path as NSString).appendingPathComponent(name)
    if directory {
      try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    return full
  }

  /// The bytes a SQLite database takes on disk, its WAL included.
  static func databaseBytes(_ path: String) -> Int {
    [path, path + "-wal"].reduce(0) { total, file in
      total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
  }

  /// Removes the directory, unless `RENKEI_BENCH_KEEP` is set (to look at the files).
  func remove() {
    if ProcessInfo.processInfo.environment["RENKEI_BENCH_KEEP"] != nil {
      FileHandle.standardError.write(Data("renkei-bench: kept \(path)\n".utf8))
      return
    }
    try? FileManager.default.removeItem(atPath: path)
  }
}
