extension CommandLineError {
  /// Which rule a command line broke. A struct over a private enum so that codes can be
  /// added without breaking code that switches over them.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Value: String, Hashable, Sendable {
      case unknownOption
      case unknownSubcommand
      case missingSubcommand
      case missingValue
      case missingArgument
      case duplicateOption
      case unexpectedValue
      case unexpectedArgument
      case invalidValue
      case rejected
    }

    private let value: Value

    private init(_ value: Value) {
      self.value = value
    }

    /// A word starting with a dash that names no option of the command or its ancestors.
    public static let unknownOption = Code(.unknownOption)
    /// A bare word where a subcommand was expected that names none.
    public static let unknownSubcommand = Code(.unknownSubcommand)
    /// The line stopped at a command that only groups subcommands.
    public static let missingSubcommand = Code(.missingSubcommand)
    /// An option ended the line, or was followed by another option or `--`.
    public static let missingValue = Code(.missingValue)
    /// A required option or argument was not given.
    public static let missingArgument = Code(.missingArgument)
    /// An option or flag that is not repeatable was given more than once.
    public static let duplicateOption = Code(.duplicateOption)
    /// A flag was given a value, as in `--json=yes`.
    public static let unexpectedValue = Code(.unexpectedValue)
    /// A bare word was left over after every argument had its value.
    public static let unexpectedArgument = Code(.unexpectedArgument)
    /// A value could not be read as the type asked for, such as an integer.
    public static let invalidValue = Code(.invalidValue)
    /// The command itself refused its arguments (``ParsedArguments/usageError(_:)``).
    public static let rejected = Code(.rejected)

    public var description: String { value.rawValue }
  }
}
