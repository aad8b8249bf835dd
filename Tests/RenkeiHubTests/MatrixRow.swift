/// One row of the authorization matrix: a route and a target, and what each token gets.
struct MatrixRow: Sendable, CustomStringConvertible {
  /// `METHOD /template`, as `HubService.routes` and `Protocol/openapi.yaml` name it.
  var route: String
  var target: MatrixTarget
  /// One outcome per ``MatrixToken``, in `MatrixToken.allCases` order.
  var outcomes: [MatrixOutcome]

  init(_ route: String, _ target: MatrixTarget, _ outcomes: [MatrixOutcome]) {
    self.route = route
    self.target = target
    self.outcomes = outcomes
  }

  func outcome(for token: MatrixToken) -> MatrixOutcome { outcomes[MatrixToken.allCases.firstIndex(of: token)!] }

  var description: String { "\(route) [\(target)]" }
}
