import Foundation
import RenkeiHTTP
import Testing

@testable import RenkeiHub

/// `Protocol/openapi.yaml` documents exactly the routes ``HubService`` answers: a route
/// added to one and not the other fails here.
@Suite struct OpenAPIRouteTests {
  /// One operation: an upper-case method and a path, as `HubService.routes` spells them.
  struct Operation: Hashable, CustomStringConvertible {
    var method: String
    var path: String
    var description: String { "\(method) \(path)" }
  }

  static let specificationPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Protocol/openapi.yaml").path

  static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

  /// The (method, path) pairs under the top-level `paths:` key of the block-style YAML the
  /// file is written in: path keys indented two spaces, operation keys four. Other keys of
  /// a path item (`description`, `parameters`, …) are not operations and are skipped.
  static func documentedOperations(in yaml: String) -> [Operation] {
    var operations: [Operation] = []
    var inPaths = false
    var currentPath: String?
    for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let content = line.drop { $0 == " " }
      if content.isEmpty || content.hasPrefix("#") { continue }
      let indent = line.count - content.count
      if indent == 0 {
        inPaths = content.hasPrefix("paths:")
        currentPath = nil
        continue
      }
      guard inPaths, let colon = content.firstIndex(of: ":") else { continue }
      let key = unquoted(content[..<colon])
      switch indent {
      case 2: currentPath = key
      case 4:
        if let currentPath, operationKeys.contains(key) {
          operations.append(Operation(method: key.uppercased(), path: currentPath))
        }
      default: continue
      }
    }
    return operations
  }

  private static func unquoted(_ key: Substring) -> String {
    let trimmed = key.trimmingCharacters(in: .whitespaces)
    if trimmed.count >= 2, let first = trimmed.first, first == "'" || first == "\"", trimmed.last == first {
      return String(trimmed.dropFirst().dropLast())
    }
    return trimmed
  }

  static var servedOperations: Set<Operation> {
    Set(HubService.routes.flatMap { path, methods in methods.map { Operation(method: $0.rawValue, path: path) } })
  }

  @Test func theSpecificationDocumentsExactlyTheRoutesTheHubAnswers() throws {
    let yaml = try String(contentsOfFile: Self.specificationPath, encoding: .utf8)
    let documented = Self.documentedOperations(in: yaml)
    #expect(!documented.isEmpty, "no operations found under paths: in \(Self.specificationPath)")
    #expect(documented.count == Set(documented).count, "an operation is documented twice: \(documented)")
    let documentedSet = Set(documented)
    let served = Self.servedOperations
    #expect(
      documentedSet == served,
      "documented only: \(documentedSet.subtracting(served).map(\.description).sorted()); served only: \(served.subtracting(documentedSet).map(\.description).sorted())"
    )
  }

  @Test func theReaderFindsOperationsAndSkipsOtherKeys() {
    let yaml = """
      openapi: 3.1.0
      # paths: in a comment is not the key
      paths:
        /a:
          description: 'not an operation: get'
          get:
            responses:
              '200':
                description: ok
          parameters: []
        '/b':
          post:
            summary: x
          put:
            summary: y
        /c/{id}/d:
          parameters:
            - name: id
          post:
            summary: z
      components:
        schemas:
          get:
            type: object
      """
    #expect(
      Self.documentedOperations(in: yaml) == [
        Operation(method: "GET", path: "/a"), Operation(method: "POST", path: "/b"), Operation(method: "PUT", path: "/b"),
        // A path template is kept as written, to match `HubService.routes`' keys.
        Operation(method: "POST", path: "/c/{id}/d"),
      ])
  }

  @Test func thePullLimitsInTheSpecificationAreTheHubs() throws {
    let yaml = try String(contentsOfFile: Self.specificationPath, encoding: .utf8)
    // The Limit parameter's block: from its key to the next component at the same depth.
    let lines = yaml.split(separator: "\n").map(String.init)
    let start = try #require(lines.firstIndex(of: "    Limit:"))
    let block = lines[(start + 1)...].prefix { $0.hasPrefix("      ") }.map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(block.contains("name: limit"))
    #expect(block.contains("minimum: 1"))
    #expect(block.contains("maximum: \(HubService.maxPullLimit)"))
    #expect(block.contains("default: \(HubService.defaultPullLimit)"))
  }
}
