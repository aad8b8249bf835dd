/// A command in a command tree: its name, its help, the parameters it accepts and the
/// subcommands below it.
///
/// A tree is declared once as a value and handed to ``parse(_:)``:
///
/// ```swift
/// let renkei = Command(
///   "renkei",
///   abstract: "Keeps a prefecture's liaison records.",
///   parameters: [.option("dir", valueName: "path", help: "The replica directory.")],
///   subcommands: [
///     Command("status", abstract: "Shows what is waiting to sync."),
///   ])
/// ```
///
/// Rules the tree must keep, checked when it is parsed (breaking one is a programming
/// error, not a usage error):
/// - a command with subcommands declares no positional arguments: a bare word there names
///   a subcommand;
/// - a parameter name is unique along each path from the root, so an ancestor's option can
///   be given after a subcommand (`renkei status --dir D`) without ambiguity;
/// - `help` is reserved for the `--help`/`-h` every command accepts;
/// - arguments are ordered: required ones first, a variadic one last.
public struct Command: Sendable, Equatable {
  /// The word that selects this command; for the root, the program's name.
  public let name: String

  /// One line saying what the command does, shown in help and in its parent's subcommand list.
  public let abstract: String

  /// Longer help shown below the abstract, or `nil`.
  public let discussion: String?

  /// Flags, options and arguments, in the order help and the usage line show them.
  public let parameters: [Parameter]

  /// Commands selected by the next bare word, in the order help lists them.
  public let subcommands: [Command]

  /// Words that name no subcommand on purpose although a user may reach for them (`fund
  /// edit` of an append-only ledger), each with what to do instead: typing one is still an
  /// unknown subcommand, and its error says why and what to use.
  public let absentSubcommands: [String: String]

  /// Creates a command.
  ///
  /// - Parameters:
  ///   - name: The word that selects the command, or the program's name for the root.
  ///   - abstract: One line for help.
  ///   - discussion: Further paragraphs for help.
  ///   - parameters: What the command accepts; options of a command are also accepted after
  ///     any of its subcommands.
  ///   - subcommands: The commands below this one.
  ///   - absentSubcommands: Words that are deliberately no subcommand, with what to do instead.
  public init(
    _ name: String,
    abstract: String,
    discussion: String? = nil,
    parameters: [Parameter] = [],
    subcommands: [Command] = [],
    absentSubcommands: [String: String] = [:]
  ) {
    self.name = name
    self.abstract = abstract
    self.discussion = discussion
    self.parameters = parameters
    self.subcommands = subcommands
    self.absentSubcommands = absentSubcommands
  }

  /// Parses a command line against this command tree.
  ///
  /// This is a pure function of `arguments`; ``CommandLineRunner`` is the part that reads
  /// the process's arguments, prints and exits.
  ///
  /// - Parameter arguments: The words after the program name, as a shell would split them.
  /// - Returns: ``ParseResult/help(_:)`` with help for the deepest command named when
  ///   `--help` or `-h` appears anywhere before a `--` terminator (other mistakes on the line
  ///   are then ignored); otherwise ``ParseResult/arguments(_:)``.
  /// - Throws: ``CommandLineError``, a usage error naming the first rule the line breaks.
  /// - Precondition: The tree keeps the rules listed on ``Command``.
  public func parse(_ arguments: [String]) throws(CommandLineError) -> ParseResult {
    let problems = specificationProblems()
    precondition(problems.isEmpty, "Invalid command tree: \(problems.joined(separator: "; "))")
    return try CommandLineParser(root: self).parse(arguments)
  }

  /// The help text for this command, or for the subcommand a path of subcommand names
  /// leads to — the text `--help` produces there.
  ///
  /// - Parameter subcommandPath: Names of subcommands below this one, e.g. `["event", "add"]`.
  /// - Returns: The text without a trailing newline, or `nil` when the path names no command.
  public func helpText(subcommandPath: [String] = []) -> String? {
    var chain = CommandChain(root: self)
    for name in subcommandPath {
      guard let subcommand = chain.command.subcommand(named: name) else { return nil }
      chain = chain.appending(subcommand)
    }
    return chain.helpText
  }

  /// The subcommand selected by `name`, if any.
  func subcommand(named name: String) -> Command? {
    subcommands.first { $0.name == name }
  }

  /// Every rule of the tree this command roots that is broken, one line each; empty when
  /// the tree is sound.
  func specificationProblems(inheriting inherited: Set<String> = [], path: String = "") -> [String] {
    let path = path.isEmpty ? name : "\(path) \(name)"
    var problems: [String] = []
    var seen = inherited
    for parameter in parameters {
      let name = parameter.name
      if name.isEmpty || name.hasPrefix("-") || name.contains("=") || name.contains(where: \.isWhitespace) {
        problems.append("\(path): '\(name)' is not a usable parameter name")
      }
      if name == "help" {
        problems.append("\(path): 'help' is reserved for --help")
      }
      if !seen.insert(name).inserted {
        problems.append("\(path): '\(name)' is declared more than once on this path")
      }
      if parameter.isRequired && parameter.defaultValue != nil {
        problems.append("\(path): option '--\(name)' is both required and defaulted")
      }
    }
    let arguments = parameters.filter(\.isArgument)
    if !subcommands.isEmpty && !arguments.isEmpty {
      problems.append("\(path): a command with subcommands cannot take positional arguments")
    }
    for (earlier, later) in zip(arguments, arguments.dropFirst()) {
      if earlier.isRepeatable {
        problems.append("\(path): argument '<\(later.name)>' follows variadic '<\(earlier.name)>'")
      } else if !earlier.isRequired && later.isRequired {
        problems.append("\(path): required argument '<\(later.name)>' follows optional '<\(earlier.name)>'")
      }
    }
    for absent in absentSubcommands.keys.sorted() where subcommand(named: absent) != nil {
      problems.append("\(path): '\(absent)' is both a subcommand and an absent one")
    }
    var subcommandNames: Set<String> = []
    for subcommand in subcommands {
      if !subcommandNames.insert(subcommand.name).inserted {
        problems.append("\(path): subcommand '\(subcommand.name)' is declared more than once")
      }
      if subcommand.name.isEmpty || subcommand.name.hasPrefix("-") {
        problems.append("\(path): '\(subcommand.name)' is not a usable subcommand name")
      }
      problems += subcommand.specificationProblems(inheriting: seen, path: path)
    }
    return problems
  }
}
