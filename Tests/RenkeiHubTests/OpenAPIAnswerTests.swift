import Foundation
import RenkeiCore
import RenkeiHub
import RenkeiStore
import Testing

/// The hub's answers are what `Protocol/openapi.yaml` says they are: real answers of a hub
/// with conflicts, a decision and refusals of every kind in its audit, validated against the
/// document's schemas by an independent JSON Schema validator (Python's `jsonschema`, which
/// openapi-spec-validator brings; .ci/run installs it). The long mode's schemathesis run
/// fuzzes the same; this holds the answers a normal run makes.
@Suite struct OpenAPIAnswerTests {
  let review = ConflictReviewAPITests()

  static let validatorAvailable =
    (try? OpenAPIValidationTests.check("/usr/bin/env", ["python3", "-c", "import jsonschema, referencing, yaml"]).status) == 0

  /// Validates each answer's JSON against the schema the document names for it and prints
  /// each complaint on a line.
  static let script = #"""
    import json, pathlib, sys, yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012
    spec_path = pathlib.Path(sys.argv[1]).resolve()
    spec = yaml.safe_load(spec_path.read_text())
    def retrieve(uri):
        return DRAFT202012.create_resource(json.loads(pathlib.Path(uri.removeprefix("file://")).read_text()))
    registry = Registry(retrieve=retrieve).with_resource(spec_path.as_uri(), DRAFT202012.create_resource(spec))
    problems = []
    for answer in json.load(open(sys.argv[2])):
        schema = {"$ref": spec_path.as_uri() + answer["schema"]}
        if answer["array"]:
            schema = {"type": "array", "items": schema}
        for error in Draft202012Validator(schema, registry=registry).iter_errors(answer["body"]):
            problems.append(f'{answer["what"]}: {error.message[:300]} at {list(error.absolute_path)}')
    print("\n".join(problems))
    """#

  /// One answer of the hub and the schema the document gives it.
  struct Answer {
    var what: String
    var schema: String
    var array: Bool
    var body: Data
  }

  @Test(.enabled(if: validatorAvailable, "python3 with jsonschema, referencing and yaml is missing: python3 -m pip install openapi-spec-validator"))
  func everyAnswerOfABusyHubMatchesItsSchema() throws {
    try review.withHub { hub in
      let made = try review.venueConflict(in: hub)
      // Refusals of each kind the audit keeps: without a token (counted), by role, a push.
      _ = try hub.request("GET", "/v1/audit", authorization: nil)
      _ = try hub.request("GET", "/no/such/route", authorization: nil)
      _ = try hub.get("/v1/conflicts", as: "saitama")
      _ = try hub.get("/v1/records/unknown-record/history", as: "saitama")
      _ = try hub.request("POST", "/v1/push", authorization: hub.bearer("saitama"), body: Array(#"{"changes":[]}"#.utf8))
      _ = try hub.request("POST", "/v1/push", authorization: hub.bearer("yamanashi"), body: Array("{".utf8))
      let decided = try hub.resolve(made.id, revision: try hub.conflict(made.id).revision, .take(SiteID(rawValue: "kanto")!), reason: "局")
      try #require(decided.status == 200, "\(decided.text)")

      let targets: [(what: String, target: String, site: String, schema: String, array: Bool)] = [
        ("audit", "/v1/audit", "kanto-admin", "#/components/schemas/AuditEntry", true),
        ("history", "/v1/records/\(made.record)/history", "saitama", "#/components/schemas/RecordHistoryPage", false),
        ("conflicts", "/v1/conflicts?status=all", "kanto-admin", "#/components/schemas/HubConflict", true),
        ("conflict", "/v1/conflicts/\(made.id)", "kanto-admin", "#/components/schemas/HubConflict", false),
        ("pull", "/v1/pull?limit=50", "saitama", "#/components/schemas/PullPage", false),
        ("whoami", "/v1/whoami", "kanto", "#/components/schemas/WhoAmI", false),
        ("health", "/v1/health", "kanto", "#/components/schemas/HealthStatus", false),
        ("404", "/v1/records/unknown-record/history", "saitama", "#/components/schemas/NotFoundError", false),
        ("403", "/v1/audit", "saitama", "#/components/schemas/ForbiddenError", false),
      ]
      var answers: [Answer] = []
      for target in targets {
        let response = try hub.get(target.target, as: target.site)
        #expect(response.headers["Content-Type"] == "application/json", "\(target.what)")
        answers.append(Answer(what: target.what, schema: target.schema, array: target.array, body: Data(response.body)))
      }
      let audit = try hub.audit()
      #expect(Set(audit.map(\.action)) == ["refuse", "resolve"] && audit.count >= 6, "the audit lacks kinds of entries: \(audit)")
      try validate(answers)
    }
  }

  /// Runs ``script`` on `answers`; every complaint is a failed expectation.
  func validate(_ answers: [Answer]) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-openapi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("answers.json")
    let script = directory.appendingPathComponent("validate.py")
    var json = Data("[".utf8)
    for (index, answer) in answers.enumerated() {
      if index > 0 { json.append(contentsOf: ",".utf8) }
      json.append(contentsOf: #"{"what":"\#(answer.what)","schema":"\#(answer.schema)","array":\#(answer.array),"body":"#.utf8)
      json.append(answer.body)
      json.append(contentsOf: "}".utf8)
    }
    json.append(contentsOf: "]".utf8)
    try json.write(to: data)
    try Self.script.write(to: script, atomically: true, encoding: .utf8)
    let (status, text) = try OpenAPIValidationTests.check("/usr/bin/env", ["python3", script.path, OpenAPIValidationTests.specification, data.path])
    #expect(status == 0, "the validator failed: \(text.suffix(2000))")
    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "answers disagree with Protocol/openapi.yaml:\n\(text.prefix(4000))")
  }
}
