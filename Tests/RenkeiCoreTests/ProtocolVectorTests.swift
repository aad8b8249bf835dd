import Foundation
import RenkeiCore
import Testing

/// Runs every case of `Protocol/vectors/`, the cases any implementation must pass.
@Suite struct ProtocolVectorTests {
  @Test func everyVectorFileIsExercised() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: ProtocolVectors.directory.path).filter { $0.hasSuffix(".json") }
    #expect(Set(files) == ["version-vectors.json", "merge-cases.json"], "a new vector file needs a runner here")
    #expect(ProtocolVectors.vectorCases.count >= 9)
    #expect(ProtocolVectors.mergeCases.count >= 19)
  }

  @Test(arguments: ProtocolVectors.vectorCases)
  func versionVectorCase(_ vector: ProtocolVectors.VectorCase) {
    #expect(vector.left.compare(vector.right) == vector.order)
    #expect(vector.left.merged(with: vector.right) == vector.merged)
    #expect(vector.left.meet(vector.right) == vector.meet)
    // The reverse comparison mirrors it.
    let mirrored: [VersionVector.Order: VersionVector.Order] = [.before: .after, .after: .before, .equal: .equal, .concurrent: .concurrent]
    #expect(vector.right.compare(vector.left) == mirrored[vector.order])
  }

  @Test(arguments: ProtocolVectors.mergeCases)
  func mergeCase(_ merge: ProtocolVectors.MergeCase) {
    #expect(merge.run() == merge.expected)
    // The result does not depend on the order the sides are given in.
    var reversed = merge
    reversed.sides.reverse()
    #expect(reversed.run() == merge.expected)
  }

  /// A vector whose expectation is altered must fail: each case's expectation is checked
  /// against a perturbed copy, so no case can pass vacuously.
  @Test(arguments: ProtocolVectors.mergeCases)
  func alteredExpectationIsDetected(_ merge: ProtocolVectors.MergeCase) {
    var altered = merge.expected
    altered.deleted.toggle()
    #expect(merge.run() != altered)
    var fewer = merge.expected
    if fewer.conflicts.isEmpty {
      fewer.conflicts = [FieldConflict(field: "title", rule: .differentValues)]
    } else {
      fewer.conflicts.removeLast()
    }
    #expect(merge.run() != fewer)
  }

  @Test(arguments: ProtocolVectors.vectorCases)
  func alteredVectorExpectationIsDetected(_ vector: ProtocolVectors.VectorCase) {
    let wrongOrder: VersionVector.Order = vector.order == .concurrent ? .equal : .concurrent
    #expect(vector.left.compare(vector.right) != wrongOrder)
  }
}
