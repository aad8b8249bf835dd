/// The parsing rules behind ``Command/parse(_:)``.
///
/// Words are read left to right:
/// - `--` ends option processing; every later word is a positional argument.
/// - `--name=value` and `--name value` give an option its value. The next word is taken as
///   the value unless it is `--` or looks like an option itself, so negative numbers such as
///   `-500` are values while `--title --json` is a missing value.
/// - A word that looks like an option (`--x…`, or `-` followed by an ASCII letter) must name a flag
///   or option of the selected command or an ancestor; `-` alone and `-5` are plain words.
/// - While the selected command has subcommands, a plain word selects one; after that,
///   plain words fill the command's arguments in order.
/// - At the end, the line must have reached a command without subcommands, and every
///   required option and argument must have a value. Absent options take their defaults.
struct CommandLineParser {
  let root: Command

  func parse(_ arguments: [String]) throws(CommandLineError) -> ParseResult {
    if let chain = helpRequest(in: arguments) {
      return .help(chain.helpText)
    }

    var chain = CommandChain(root: root)
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    var isTerminated = false
    var index = arguments.startIndex

    func fail(_ code: CommandLineError.Code, _ message: String) -> CommandLineError {
      CommandLineError(code: code, message: message, commandPath: chain.path, usage: chain.usage)
    }

    while index < arguments.endIndex {
      let word = arguments[index]
      index += 1

      if !isTerminated && word == "--" {
        isTerminated = true
        continue
      }

      if !isTerminated && Self.looksLikeOption(word) {
        let (name, inlineValue) = Self.split(word)
        let isLong = word.hasPrefix("--")
        if isLong && name == "help", let inlineValue {
          throw fail(.unexpectedValue, "The flag '--help' does not take a value (got '\(inlineValue)')")
        }
        guard isLong, let parameter = chain.parameter(named: name), parameter.isNamed else {
          let candidates = chain.namedParameters.map(\.name) + ["help"]
          var message = "Unknown option '\(isLong ? "--\(name)" : word)'"
          // `-title` is taken for `--title` mistyped; otherwise look for the nearest name.
          let suggestion =
            candidates.contains(name) && !isLong
            ? name : ClosestName.suggestion(for: name, among: candidates)
          if let suggestion {
            message += ". Did you mean '--\(suggestion)'?"
          }
          throw fail(.unknownOption, message)
        }
        if parameter.isFlag {
          if let inlineValue {
            throw fail(.unexpectedValue, "The flag '--\(name)' does not take a value (got '\(inlineValue)')")
          }
          guard flags.insert(name).inserted else {
            throw fail(.duplicateOption, "The flag '--\(name)' was given more than once")
          }
          continue
        }
        let value: String
        if let inlineValue {
          value = inlineValue
        } else if index < arguments.endIndex, arguments[index] != "--", !Self.looksLikeOption(arguments[index]) {
          value = arguments[index]
          index += 1
        } else {
          throw fail(.missingValue, "Missing value for '\(parameter.label)'")
        }
        if !parameter.isRepeatable && values[name] != nil {
          throw fail(.duplicateOption, "The option '--\(name)' was given more than once")
        }
        values[name, default: []].append(value)
        continue
      }

      if !chain.command.subcommands.isEmpty {
        guard !isTerminated, let subcommand = chain.command.subcommand(named: word) else {
          var message = "Unknown subcommand '\(word)'"
          if let instead = chain.command.absentSubcommands[word] {
            message += ": \(instead)"
          } else if let suggestion = ClosestName.suggestion(for: word, among: chain.command.subcommands.map(\.name)) {
            message += ". Did you mean '\(suggestion)'?"
          }
          throw fail(.unknownSubcommand, message)
        }
        chain = chain.appending(subcommand)
        continue
      }
      positionals.append(word)
    }

    if !chain.command.subcommands.isEmpty {
      let names = chain.command.subcommands.map { "'\($0.name)'" }.joined(separator: ", ")
      throw fail(.missingSubcommand, "Missing subcommand; expected one of \(names)")
    }

    var remaining = positionals[...]
    for parameter in chain.command.parameters where parameter.isArgument {
      if parameter.isRepeatable {
        if !remaining.isEmpty {
          values[parameter.name] = Array(remaining)
          remaining = []
        }
      } else if let word = remaining.popFirst() {
        values[parameter.name] = [word]
      }
    }
    if let extra = remaining.first {
      throw fail(.unexpectedArgument, "Unexpected argument '\(extra)'")
    }

    for command in chain.commands {
      for parameter in command.parameters where values[parameter.name] == nil {
        if parameter.isRequired {
          throw fail(.missingArgument, "Missing expected argument '\(parameter.label)'")
        }
        if let defaultValue = parameter.defaultValue {
          values[parameter.name] = [defaultValue]
        }
      }
    }
    return .arguments(ParsedArguments(chain: chain, values: values, flags: flags))
  }

  /// The command whose help was asked for, when `--help` or `-h` comes before any `--`:
  /// the deepest command the line's subcommand words reach, following them past options
  /// and option values as the real parse would.
  private func helpRequest(in arguments: [String]) -> CommandChain? {
    let options = arguments.prefix { $0 != "--" }
    guard options.contains(where: { $0 == "--help" || $0 == "-h" }) else { return nil }
    var chain = CommandChain(root: root)
    var index = options.startIndex
    while index < options.endIndex {
      let word = options[index]
      index += 1
      if Self.looksLikeOption(word) {
        let (name, inlineValue) = Self.split(word)
        if inlineValue == nil, chain.parameter(named: name)?.takesValue == true,
          index < options.endIndex, !Self.looksLikeOption(options[index])
        {
          index += 1
        }
      } else if let subcommand = chain.command.subcommand(named: word) {
        chain = chain.appending(subcommand)
      } else if !chain.command.subcommands.isEmpty {
        break
      }
    }
    return chain
  }

  /// Whether a word is meant as an option: `--` and more, or `-` and an ASCII letter. `-`,
  /// `-5`, `-.5` and `-認知` are values.
  static func looksLikeOption(_ word: String) -> Bool {
    if word.hasPrefix("--") { return word.count > 2 }
    guard word.hasPrefix("-"), let second = word.dropFirst().first else { return false }
    return second.isASCII && second.isLetter
  }

  /// The name of an option word without its dashes, and the value after the first `=` of a
  /// `--name=value` word.
  static func split(_ word: String) -> (name: String, inlineValue: String?) {
    let isLong = word.hasPrefix("--")
    let body = word.dropFirst(isLong ? 2 : 1)
    guard isLong, let equals = body.firstIndex(of: "=") else {
      return (String(body), nil)
    }
    return (String(body[..<equals]), String(body[body.index(after: equals)...]))
  }
}
