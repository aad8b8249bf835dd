/// The values a command line gave the command it selected, read back by parameter name.
///
/// Every accessor takes a parameter's name without dashes, and accepts the names of the
/// selected command's parameters and of its ancestors' (so `renkei status` can read the
/// root's `dir`). Asking for a name the path does not declare, or asking `flag(_:)` about an
/// option or `string(_:)` about a flag, is a programming error and traps, naming the
/// parameter — a misspelt name then fails the first test that reaches it instead of
/// quietly reading as absent.
public struct ParsedArguments: Sendable, Equatable {
  let chain: CommandChain

  /// The values of options and arguments that were given or defaulted, in command-line order.
  let values: [String: [String]]

  /// The names of the flags that were given.
  let flags: Set<String>

  init(chain: CommandChain, values: [String: [String]], flags: Set<String>) {
    self.chain = chain
    self.values = values
    self.flags = flags
  }

  /// The selected command and its ancestors, root first: `["renkei", "event", "add"]`.
  public var commandPath: [String] { chain.path }

  /// ``commandPath`` without the root, for switching on the command:
  /// `switch parsed.subcommandPath { case ["event", "add"]: … }`.
  public var subcommandPath: [String] { Array(chain.path.dropFirst()) }

  /// The value of an option or argument: the last one given, else the option's default,
  /// else `nil`. A required parameter always has one.
  public func string(_ name: String) -> String? {
    valuesOf(name).last
  }

  /// Every value of an option or argument in the order given: all the values of a
  /// repeatable option or variadic argument, or one value, or the default, or none.
  public func strings(_ name: String) -> [String] {
    valuesOf(name)
  }

  /// Whether a flag was given.
  public func flag(_ name: String) -> Bool {
    let parameter = declaration(of: name)
    precondition(parameter.isFlag, "'\(parameter.label)' is not a flag; read it with string(_:)")
    return flags.contains(name)
  }

  /// The value of an option or argument as an integer (`30`, `-5`, `+5`), or `nil` when it
  /// has no value.
  ///
  /// - Throws: ``CommandLineError`` with code ``CommandLineError/Code/invalidValue`` naming
  ///   the parameter when the value is not an integer.
  public func int(_ name: String) throws(CommandLineError) -> Int? {
    guard let text = string(name) else { return nil }
    return try integer(text, for: name)
  }

  /// Every value of an option or argument as integers, in the order given.
  ///
  /// - Throws: ``CommandLineError`` naming the parameter and the first value that is not an
  ///   integer.
  public func ints(_ name: String) throws(CommandLineError) -> [Int] {
    var numbers: [Int] = []
    for text in strings(name) {
      numbers.append(try integer(text, for: name))
    }
    return numbers
  }

  /// A usage error about the selected command, for rules the parser cannot know — a value
  /// out of range, two options that exclude each other. It reports and exits like any other.
  public func usageError(_ message: String) -> CommandLineError {
    CommandLineError(code: .rejected, message: message, commandPath: chain.path, usage: chain.usage)
  }

  private func integer(_ text: String, for name: String) throws(CommandLineError) -> Int {
    guard let number = Int(text) else {
      throw CommandLineError(
        code: .invalidValue,
        message: "The value '\(text)' is invalid for '\(declaration(of: name).label)': expected an integer",
        commandPath: chain.path,
        usage: chain.usage)
    }
    return number
  }

  private func valuesOf(_ name: String) -> [String] {
    let parameter = declaration(of: name)
    precondition(!parameter.isFlag, "'\(parameter.label)' is a flag; read it with flag(_:)")
    return values[name] ?? []
  }

  private func declaration(of name: String) -> Parameter {
    guard let parameter = chain.parameter(named: name) else {
      preconditionFailure("'\(chain.pathText)' declares no parameter named '\(name)'")
    }
    return parameter
  }
}
