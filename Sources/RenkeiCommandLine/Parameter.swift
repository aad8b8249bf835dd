/// One thing a command accepts on its command line: a flag, an option with a value, or a
/// positional argument.
///
/// Parameters are made with ``flag(_:help:)``,
/// ``option(_:valueName:help:required:repeatable:defaultValue:)`` and
/// ``argument(_:help:required:variadic:)`` and listed, in the order help should show
/// them, in ``Command/parameters``.
///
/// On the command line:
/// - a **flag** is `--name`, and is either present or not;
/// - an **option** is `--name value` or `--name=value`; it may be required, may be allowed
///   more than once, and may have a default used when it is absent;
/// - an **argument** is a bare word, matched to arguments in declaration order; it may be
///   required, optional, or variadic (taking every remaining word).
///
/// Names are written without dashes and are how ``ParsedArguments`` looks values up.
public struct Parameter: Sendable, Equatable {
  /// What the parameter is, with the rules that go with it.
  enum Kind: Sendable, Equatable {
    case flag
    case option(valueName: String, isRequired: Bool, isRepeatable: Bool, defaultValue: String?)
    case argument(isRequired: Bool, isVariadic: Bool)
  }

  /// The name: `title` for `--title`, or the key of a positional argument.
  public let name: String

  /// One line for the help text.
  public let help: String

  let kind: Kind

  /// A flag, `--name`, which is either given or not. Giving it twice, or giving it a value
  /// (`--name=yes`), is a usage error.
  public static func flag(_ name: String, help: String) -> Parameter {
    Parameter(name: name, help: help, kind: .flag)
  }

  /// An option taking a value, `--name value` or `--name=value`.
  ///
  /// - Parameters:
  ///   - name: The option's name without dashes.
  ///   - valueName: What the value is called in usage and help, `<valueName>`; the option's
  ///     name when `nil`.
  ///   - help: One line for the help text.
  ///   - required: Whether leaving the option out is a usage error.
  ///   - repeatable: Whether the option may be given more than once, each value kept in order.
  ///     Giving a non-repeatable option twice is a usage error.
  ///   - defaultValue: The value reported when the option is absent; shown in help. An option
  ///     cannot be both required and defaulted.
  public static func option(
    _ name: String,
    valueName: String? = nil,
    help: String,
    required: Bool = false,
    repeatable: Bool = false,
    defaultValue: String? = nil
  ) -> Parameter {
    Parameter(
      name: name,
      help: help,
      kind: .option(
        valueName: valueName ?? name, isRequired: required, isRepeatable: repeatable, defaultValue: defaultValue))
  }

  /// A positional argument.
  ///
  /// Bare words are given to a command's arguments in declaration order, so a required
  /// argument cannot follow an optional one and nothing can follow a variadic one.
  ///
  /// - Parameters:
  ///   - name: The key values are read back by, shown as `<name>`.
  ///   - help: One line for the help text.
  ///   - required: Whether the argument must be given; for a variadic argument, whether at
  ///     least one word must be.
  ///   - variadic: Whether the argument takes every remaining word.
  public static func argument(
    _ name: String,
    help: String,
    required: Bool = true,
    variadic: Bool = false
  ) -> Parameter {
    Parameter(name: name, help: help, kind: .argument(isRequired: required, isVariadic: variadic))
  }

  var isFlag: Bool { kind == .flag }

  var isArgument: Bool {
    if case .argument = kind { return true }
    return false
  }

  /// Whether the parameter is written with dashes: a flag or an option.
  var isNamed: Bool { !isArgument }

  var takesValue: Bool {
    if case .option = kind { return true }
    return false
  }

  var isRequired: Bool {
    switch kind {
    case .flag: false
    case .option(_, let isRequired, _, _), .argument(let isRequired, _): isRequired
    }
  }

  /// Whether the parameter may collect more than one value.
  var isRepeatable: Bool {
    switch kind {
    case .flag: false
    case .option(_, _, let isRepeatable, _): isRepeatable
    case .argument(_, let isVariadic): isVariadic
    }
  }

  var defaultValue: String? {
    if case .option(_, _, _, let defaultValue) = kind { return defaultValue }
    return nil
  }

  /// How errors and help name the parameter: `--json`, `--title <text>`, `<id>`.
  var label: String {
    switch kind {
    case .flag: "--\(name)"
    case .option(let valueName, _, _, _): "--\(name) <\(valueName)>"
    case .argument: "<\(name)>"
    }
  }

  /// How the usage line shows the parameter: brackets when it may be left out, `...` when
  /// it may be repeated.
  var usagePiece: String {
    let repeated = isRepeatable ? "\(label) ..." : label
    return isRequired ? repeated : "[\(repeated)]"
  }
}
