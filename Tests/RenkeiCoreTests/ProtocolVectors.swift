import Foundation
import RenkeiCore

/// Loads the shared test vectors from `Protocol/vectors/` in this repository.
enum ProtocolVectors {
  static var directory: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Protocol/vectors")
  }

  static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    try JSONDecoder().decode(type, from: Data(contentsOf: directory.appendingPathComponent(name)))
  }

  struct VectorFile: Decodable {
    var cases: [VectorCase]
  }

  struct VectorCase: Decodable, Sendable, CustomStringConvertible {
    var name: String
    var left: VersionVector
    var right: VersionVector
    var order: VersionVector.Order
    var merged: VersionVector
    var meet: VersionVector
    var description: String { name }
  }

  struct MergeFile: Decodable {
    var cases: [MergeCase]
  }

  struct MergeCase: Decodable, Sendable, CustomStringConvertible {
    struct Side: Decodable, Sendable {
      var writer: WriterID
      var author: String
      var hlc: HybridTimestamp
      var vector: VersionVector
      var deleted: Bool
      var fields: RecordFields
    }
    struct Expected: Decodable, Sendable, Equatable {
      var fields: RecordFields
      var deleted: Bool
      var conflicts: [FieldConflict]
    }
    var name: String
    var rule: String
    var kind: RecordKind
    var base: RecordFields?
    var sides: [Side]
    var expected: Expected
    var description: String { name }

    /// Runs the merge the case describes.
    func run() -> Expected {
      let versions = sides.map {
        RecordVersion(
          kind: kind, recordID: try! RecordID("vector"), state: RecordState(fields: $0.fields, deleted: $0.deleted),
          vector: $0.vector, stamp: VersionStamp(writer: $0.writer, author: $0.author, timestamp: $0.hlc))
      }
      let result = Merge.merge(kind: kind, base: base.map { RecordState(fields: $0) }, sides: versions)
      return Expected(fields: result.state.fields, deleted: result.state.deleted, conflicts: result.conflicts)
    }
  }

  static let vectorCases: [VectorCase] = (try? load("version-vectors.json", as: VectorFile.self).cases) ?? []
  static let mergeCases: [MergeCase] = (try? load("merge-cases.json", as: MergeFile.self).cases) ?? []
}
