/// A command together with the commands above it, root first: what a parse has selected
/// so far, and what usage lines, help and parameter lookups are relative to.
struct CommandChain: Sendable, Equatable {
  /// The root, then each subcommand selected below it; never empty.
  private(set) var commands: [Command]

  init(root: Command) {
    commands = [root]
  }

  /// The selected command, the last of the chain.
  var command: Command { commands[commands.count - 1] }

  /// The selected command's name and its ancestors', root first: `["renkei", "event", "add"]`.
  var path: [String] { commands.map(\.name) }

  /// ``path`` as typed: `renkei event add`.
  var pathText: String { path.joined(separator: " ") }

  func appending(_ subcommand: Command) -> CommandChain {
    var chain = self
    chain.commands.append(subcommand)
    return chain
  }

  /// Every flag and option accepted here: the command's own, then each ancestor's, nearest
  /// first — the order help lists them in.
  var namedParameters: [Parameter] {
    commands.reversed().flatMap { $0.parameters.filter(\.isNamed) }
  }

  /// The parameter called `name` on the selected command or any ancestor.
  func parameter(named name: String) -> Parameter? {
    for command in commands.reversed() {
      if let parameter = command.parameters.first(where: { $0.name == name }) {
        return parameter
      }
    }
    return nil
  }

  /// The usage line without the `Usage:` prefix: the path, the command's own parameters as
  /// declared, and `<subcommand>` when it has subcommands.
  var usage: String {
    var pieces = [pathText]
    pieces += command.parameters.map(\.usagePiece)
    if !command.subcommands.isEmpty {
      pieces.append("<subcommand>")
    }
    return pieces.joined(separator: " ")
  }

  /// The text `--help` prints here, without a trailing newline.
  var helpText: String {
    typealias Row = (label: String, help: String)
    let argumentRows: [Row] = command.parameters.filter(\.isArgument).map {
      ($0.isRepeatable ? "\($0.label) ..." : $0.label, $0.help)
    }
    var optionRows: [Row] = namedParameters.map { parameter in
      if let defaultValue = parameter.defaultValue {
        return (parameter.label, "\(parameter.help) (default: \(defaultValue))")
      }
      return (parameter.label, parameter.help)
    }
    optionRows.append(("-h, --help", "Show help information."))
    let subcommandRows: [Row] = command.subcommands.map { ($0.name, $0.abstract) }

    // One help column for every section, two spaces past the longest label, but a label
    // too long for the column gets its help on the next line instead of pushing it right.
    let allRows = argumentRows + optionRows + subcommandRows
    let helpColumn = min(allRows.map(\.label.count).max() ?? 0, Self.widestInlineLabel) + 4
    func render(_ title: String, _ rows: [Row]) -> String {
      let lines = rows.map { row in
        let label = "  \(row.label)"
        if row.help.isEmpty { return label }
        if label.count + 2 > helpColumn {
          return label + "\n" + String(repeating: " ", count: helpColumn) + row.help
        }
        return label + String(repeating: " ", count: helpColumn - label.count) + row.help
      }
      return ([title] + lines).joined(separator: "\n")
    }

    var sections: [String] = []
    if !command.abstract.isEmpty {
      sections.append("OVERVIEW: \(command.abstract)")
    }
    if let discussion = command.discussion, !discussion.isEmpty {
      sections.append(discussion)
    }
    sections.append("USAGE: \(usage)")
    if !argumentRows.isEmpty {
      sections.append(render("ARGUMENTS:", argumentRows))
    }
    sections.append(render("OPTIONS:", optionRows))
    if !subcommandRows.isEmpty {
      sections.append(render("SUBCOMMANDS:", subcommandRows))
      sections.append("  See '\(pathText) <subcommand> --help' for detailed help.")
    }
    return sections.joined(separator: "\n\n")
  }

  /// Labels longer than this many characters wrap their help to the next line.
  private static let widestInlineLabel = 28
}
