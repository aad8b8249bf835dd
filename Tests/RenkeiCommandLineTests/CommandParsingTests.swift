import Testing

@testable import RenkeiCommandLine

/// Parsing rules, one named case each, against the sample `renkei` and `renkei-hub` trees.
@Suite struct CommandParsingTests {
  let renkei = SampleCommands.renkei
  let hub = SampleCommands.hub

  func parsed(_ command: Command, _ line: String...) throws -> ParsedArguments {
    guard case .arguments(let parsed) = try command.parse(line) else {
      Issue.record("expected arguments, got help for \(line)")
      throw CommandLineError(code: .rejected, message: "help", commandPath: [], usage: "")
    }
    return parsed
  }

  func failure(_ command: Command, _ line: String...) -> CommandLineError? {
    do {
      let result = try command.parse(line)
      Issue.record("expected a usage error for \(line), got \(result)")
      return nil
    } catch {
      return error
    }
  }

  // MARK: Values

  @Test func longOptionTakesTheNextWordAsItsValue() throws {
    let parsed = try parsed(renkei, "event", "add", "--title", "県市連絡会議", "--kind", "seminar")
    #expect(parsed.string("title") == "県市連絡会議")
    #expect(parsed.string("kind") == "seminar")
    #expect(parsed.string("participants") == nil)
    #expect(parsed.commandPath == ["renkei", "event", "add"])
    #expect(parsed.subcommandPath == ["event", "add"])
  }

  @Test func longOptionTakesTheValueAfterEquals() throws {
    let parsed = try parsed(renkei, "event", "add", "--title=T", "--kind=")
    #expect(parsed.string("title") == "T")
    #expect(parsed.string("kind") == "")
  }

  @Test func onlyTheFirstEqualsSplitsNameFromValue() throws {
    let parsed = try parsed(hub, "conflicts", "resolve", "3", "--field=memo=site1", "--reason", "a=b")
    #expect(parsed.strings("field") == ["memo=site1"])
    #expect(parsed.string("reason") == "a=b")
  }

  @Test func repeatableOptionKeepsEveryValueInOrder() throws {
    let parsed = try parsed(
      renkei, "event", "add", "--title", "T", "--co-host", "A", "--co-host=B", "--co-host", "C")
    #expect(parsed.strings("co-host") == ["A", "B", "C"])
    #expect(parsed.string("co-host") == "C")
  }

  @Test func absentRepeatableOptionHasNoValues() throws {
    let parsed = try parsed(renkei, "event", "add", "--title", "T")
    #expect(parsed.strings("co-host") == [])
    #expect(parsed.strings("title") == ["T"])
  }

  @Test func flagIsTrueOnlyWhenGiven() throws {
    #expect(try parsed(renkei, "event", "add", "--title", "T", "--json").flag("json"))
    #expect(try !parsed(renkei, "event", "add", "--title", "T").flag("json"))
  }

  @Test func theExampleEventCommandParses() throws {
    let parsed = try parsed(
      renkei, "event", "add", "--title", "T", "--kind", "seminar", "--co-host", "A", "--co-host", "B",
      "--participants", "30", "--json")
    #expect(parsed.string("title") == "T")
    #expect(parsed.string("kind") == "seminar")
    #expect(parsed.strings("co-host") == ["A", "B"])
    #expect(try parsed.int("participants") == 30)
    #expect(parsed.flag("json"))
  }

  @Test func theExampleResolveCommandParses() throws {
    let parsed = try parsed(
      hub, "conflicts", "resolve", "3", "--field", "memo=site1", "--field", "venue=site2", "--reason",
      "同じ会議の二重登録")
    #expect(parsed.subcommandPath == ["conflicts", "resolve"])
    #expect(try parsed.int("id") == 3)
    #expect(parsed.strings("field") == ["memo=site1", "venue=site2"])
    #expect(parsed.string("reason") == "同じ会議の二重登録")
    #expect(parsed.strings("note") == [])
  }

  @Test func optionsMayComeBeforeBetweenAndAfterArguments() throws {
    let parsed = try parsed(hub, "conflicts", "resolve", "--reason", "r", "7", "--field", "a=b", "more", "words")
    #expect(parsed.string("id") == "7")
    #expect(parsed.strings("note") == ["more", "words"])
    let search = try self.parsed(renkei, "note", "search", "認知", "--json", "症")
    #expect(search.strings("words") == ["認知", "症"])
    #expect(search.flag("json"))
  }

  @Test func optionalArgumentMayBeLeftOut() throws {
    #expect(try parsed(renkei, "fund", "adjust", "500").string("memo") == nil)
    #expect(try parsed(renkei, "fund", "adjust", "500", "refund").string("memo") == "refund")
  }

  @Test func defaultAppliesOnlyWhenTheOptionIsAbsent() throws {
    #expect(try parsed(hub, "serve", "--dir", "D").string("listen") == "127.0.0.1:8470")
    #expect(try parsed(hub, "serve", "--dir", "D").strings("listen") == ["127.0.0.1:8470"])
    #expect(try parsed(hub, "serve", "--dir", "D", "--listen", "0.0.0.0:80").string("listen") == "0.0.0.0:80")
  }

  @Test func ancestorOptionsAreAcceptedBeforeOrAfterTheSubcommand() throws {
    #expect(try parsed(renkei, "--dir", "D", "status").string("dir") == "D")
    #expect(try parsed(renkei, "status", "--dir", "D").string("dir") == "D")
    #expect(try parsed(renkei, "--dir=D", "event", "add", "--title", "T").string("dir") == "D")
    #expect(try parsed(renkei, "status").string("dir") == nil)
  }

  @Test func valuesMayContainSpacesAndJapanese() throws {
    let parsed = try parsed(hub, "site", "add", "さいたま 市", "--role", "municipality")
    #expect(parsed.string("name") == "さいたま 市")
  }

  // MARK: Negative numbers and the terminator

  @Test func negativeNumbersAreValuesNotOptions() throws {
    #expect(try parsed(renkei, "event", "add", "--title", "T", "--participants", "-5").int("participants") == -5)
    #expect(try parsed(renkei, "event", "add", "--title", "T", "--participants=-5").int("participants") == -5)
    #expect(try parsed(renkei, "fund", "adjust", "-500").int("amount") == -500)
    #expect(try parsed(renkei, "fund", "adjust", "-1.5", "-.5").strings("memo") == ["-.5"])
    #expect(try parsed(renkei, "event", "add", "--title", "-", "--kind", "-3e2").string("kind") == "-3e2")
  }

  @Test func doubleDashMakesEveryLaterWordAnArgument() throws {
    let parsed = try parsed(renkei, "note", "search", "--json", "--", "--json", "-h", "--help", "--")
    #expect(parsed.strings("words") == ["--json", "-h", "--help", "--"])
    #expect(parsed.flag("json"))
  }

  @Test func doubleDashLetsAValueStartWithADash() throws {
    let parsed = try parsed(renkei, "fund", "adjust", "--", "-x", "--memo")
    #expect(parsed.string("amount") == "-x")
    #expect(parsed.string("memo") == "--memo")
  }

  @Test func optionValueThatLooksLikeAnOptionNeedsEquals() throws {
    #expect(try parsed(hub, "conflicts", "resolve", "1", "--field", "a=b", "--reason=-x").string("reason") == "-x")
    #expect(try parsed(hub, "conflicts", "resolve", "1", "--field", "a=b", "--reason=--").string("reason") == "--")
  }

  // MARK: Typed accessors

  @Test func intNamesTheOptionWhenTheValueIsNotAnInteger() throws {
    let parsed = try parsed(renkei, "event", "add", "--title", "T", "--participants", "thirty")
    let error = #expect(throws: CommandLineError.self) { try parsed.int("participants") }
    #expect(error?.code == .invalidValue)
    #expect(error?.message == "The value 'thirty' is invalid for '--participants <count>': expected an integer")
    #expect(error?.commandPath == ["renkei", "event", "add"])
    #expect(error?.exitCode == .usage)
  }

  @Test func intNamesTheArgumentWhenTheValueIsNotAnInteger() throws {
    let parsed = try parsed(hub, "conflicts", "resolve", "three", "--field", "a=b", "--reason", "r")
    let error = #expect(throws: CommandLineError.self) { try parsed.int("id") }
    #expect(error?.message == "The value 'three' is invalid for '<id>': expected an integer")
  }

  @Test(arguments: ["", " 3", "3.0", "1e3", "９", "99999999999999999999"])
  func intRejectsAnythingButAnIntegerLiteral(value: String) throws {
    let parsed = try parsed(renkei, "event", "add", "--title", "T", "--participants=\(value)")
    #expect(throws: CommandLineError.self) { try parsed.int("participants") }
  }

  @Test func intOfAnAbsentOptionIsNil() throws {
    #expect(try parsed(renkei, "event", "add", "--title", "T").int("participants") == nil)
  }

  @Test func intsReadsEveryValueAndReportsTheFirstBadOne() throws {
    #expect(
      try parsed(hub, "site", "add", "s", "--role", "r", "--scope", "11", "--scope", "13").ints("scope") == [11, 13])
    let bad = try parsed(hub, "site", "add", "s", "--role", "r", "--scope", "11", "--scope", "x", "--scope", "y")
    let error = #expect(throws: CommandLineError.self) { try bad.ints("scope") }
    #expect(error?.message == "The value 'x' is invalid for '--scope <code>': expected an integer")
  }

  @Test func usageErrorFromACommandCarriesItsPathAndUsage() throws {
    let parsed = try parsed(renkei, "fund", "balance", "--fy", "1999")
    let error = parsed.usageError("No ledger for fiscal year 1999")
    #expect(error.code == .rejected)
    #expect(error.commandPath == ["renkei", "fund", "balance"])
    #expect(error.usage == "renkei fund balance --fy <year>")
  }

  // MARK: Usage errors

  @Test func unknownOptionSuggestsTheClosestKnownOption() {
    let error = failure(renkei, "event", "add", "--titel", "T")
    #expect(error?.code == .unknownOption)
    #expect(error?.message == "Unknown option '--titel'. Did you mean '--title'?")
    #expect(error?.commandPath == ["renkei", "event", "add"])
  }

  @Test(arguments: [
    ("--co-hosts", "co-host"), ("--cohost", "co-host"), ("--particpants", "participants"),
    ("--part", "participants"), ("--jsno", "json"), ("--Title", "title"), ("--hlep", "help"), ("--di", "dir"),
  ])
  func misspeltOptionsGetAHint(typed: String, meant: String) {
    let error = failure(renkei, "event", "add", "--title", "T", typed)
    #expect(error?.message == "Unknown option '\(typed)'. Did you mean '--\(meant)'?")
  }

  @Test func unknownOptionFarFromEveryNameGetsNoHint() {
    #expect(failure(renkei, "event", "add", "--venue", "X")?.message == "Unknown option '--venue'")
    #expect(failure(renkei, "status", "-x")?.message == "Unknown option '-x'")
  }

  @Test func unknownOptionIsReportedWithoutItsValue() {
    #expect(
      failure(renkei, "event", "add", "--titel=T")?.message == "Unknown option '--titel'. Did you mean '--title'?")
  }

  @Test func singleDashLongNameSuggestsTheDoubleDashForm() {
    let error = failure(renkei, "event", "add", "-title", "T")
    #expect(error?.code == .unknownOption)
    #expect(error?.message == "Unknown option '-title'. Did you mean '--title'?")
  }

  @Test func argumentNamesAreNotOptions() {
    #expect(failure(renkei, "fund", "adjust", "--amount", "5")?.code == .unknownOption)
  }

  @Test func optionOfASubcommandIsUnknownBeforeTheSubcommandIsNamed() {
    let error = failure(renkei, "--json", "status")
    #expect(error?.code == .unknownOption)
    #expect(error?.commandPath == ["renkei"])
    #expect(error?.usage == "renkei [--dir <path>] <subcommand>")
  }

  @Test func unknownSubcommandSuggestsTheClosest() {
    let error = failure(renkei, "evnt", "add")
    #expect(error?.code == .unknownSubcommand)
    #expect(error?.message == "Unknown subcommand 'evnt'. Did you mean 'event'?")
    #expect(
      failure(hub, "conflicts", "reslove", "3")?.message == "Unknown subcommand 'reslove'. Did you mean 'resolve'?")
    #expect(failure(hub, "conflicts", "3")?.message == "Unknown subcommand '3'")
  }

  /// A word left out on purpose says why and what to use instead, not only that it is unknown.
  @Test func aDeliberatelyAbsentSubcommandSaysWhatToUseInstead() {
    let ledger = Command(
      "ledger", abstract: "Keeps a ledger.",
      subcommands: [
        Command("add", abstract: "Adds an entry.", parameters: [.argument("amount", help: "Yen.")]),
        Command("correct", abstract: "Corrects an entry.", parameters: [.argument("entry", help: "The entry.")]),
      ],
      absentSubcommands: ["edit": "entries are never edited; use ledger correct ENTRY"])
    let error = failure(ledger, "edit", "x1")
    #expect(error?.code == .unknownSubcommand)
    #expect(error?.message == "Unknown subcommand 'edit': entries are never edited; use ledger correct ENTRY")
    #expect(failure(ledger, "ad", "5")?.message == "Unknown subcommand 'ad'. Did you mean 'add'?")
  }

  @Test func stoppingAtACommandGroupIsAMissingSubcommand() {
    let root = failure(renkei)
    #expect(root?.code == .missingSubcommand)
    #expect(root?.message == "Missing subcommand; expected one of 'event', 'fund', 'note', 'status'")
    let group = failure(renkei, "--dir", "D", "event")
    #expect(group?.message == "Missing subcommand; expected one of 'add', 'list'")
    #expect(group?.commandPath == ["renkei", "event"])
  }

  @Test func missingRequiredOptionIsNamedWithItsValue() {
    let error = failure(renkei, "event", "add", "--kind", "seminar")
    #expect(error?.code == .missingArgument)
    #expect(error?.message == "Missing expected argument '--title <text>'")
  }

  @Test func missingRequiredRepeatableOptionIsReported() {
    #expect(
      failure(hub, "conflicts", "resolve", "3", "--reason", "r")?.message
        == "Missing expected argument '--field <field=site>'")
  }

  @Test func missingRequiredArgumentIsNamed() {
    let error = failure(hub, "conflicts", "resolve", "--field", "a=b", "--reason", "r")
    #expect(error?.code == .missingArgument)
    #expect(error?.message == "Missing expected argument '<id>'")
    #expect(failure(renkei, "note", "search", "--json")?.message == "Missing expected argument '<words>'")
  }

  @Test func missingRequiredParametersAreReportedInDeclarationOrder() {
    #expect(failure(hub, "conflicts", "resolve")?.message == "Missing expected argument '<id>'")
    #expect(failure(hub, "site", "add")?.message == "Missing expected argument '<name>'")
    #expect(failure(hub, "site", "add", "s")?.message == "Missing expected argument '--role <role>'")
  }

  @Test func optionAtTheEndIsMissingItsValue() {
    let error = failure(renkei, "event", "add", "--title")
    #expect(error?.code == .missingValue)
    #expect(error?.message == "Missing value for '--title <text>'")
  }

  @Test func optionFollowedByAnotherOptionIsMissingItsValue() {
    #expect(failure(renkei, "event", "add", "--title", "--json")?.code == .missingValue)
    #expect(failure(renkei, "event", "add", "--title", "-x")?.code == .missingValue)
    #expect(failure(renkei, "event", "add", "--title", "--")?.code == .missingValue)
  }

  @Test func nonRepeatableOptionGivenTwiceIsADuplicate() {
    let error = failure(renkei, "event", "add", "--title", "A", "--title=B")
    #expect(error?.code == .duplicateOption)
    #expect(error?.message == "The option '--title' was given more than once")
    #expect(failure(renkei, "--dir", "D", "status", "--dir", "E")?.code == .duplicateOption)
  }

  @Test func optionGivenTheSameValueTwiceIsStillADuplicate() {
    #expect(failure(renkei, "fund", "balance", "--fy", "2023", "--fy", "2023")?.code == .duplicateOption)
  }

  @Test func flagGivenTwiceIsADuplicate() {
    let error = failure(renkei, "status", "--json", "--json")
    #expect(error?.code == .duplicateOption)
    #expect(error?.message == "The flag '--json' was given more than once")
  }

  @Test func flagGivenAValueIsAnError() {
    let error = failure(renkei, "status", "--json=yes")
    #expect(error?.code == .unexpectedValue)
    #expect(error?.message == "The flag '--json' does not take a value (got 'yes')")
    #expect(failure(renkei, "status", "--json=")?.code == .unexpectedValue)
  }

  @Test func helpGivenAValueIsAnError() {
    let error = failure(renkei, "status", "--help=yes")
    #expect(error?.code == .unexpectedValue)
    #expect(error?.message == "The flag '--help' does not take a value (got 'yes')")
  }

  @Test func aDashBeforeANonASCIILetterIsAValue() throws {
    #expect(try parsed(renkei, "note", "search", "-認知").strings("words") == ["-認知"])
  }

  @Test func wordAfterAFlagIsAnArgumentNotItsValue() {
    let error = failure(renkei, "status", "--json", "yes")
    #expect(error?.code == .unexpectedArgument)
    #expect(error?.message == "Unexpected argument 'yes'")
  }

  @Test func extraArgumentsAreUnexpected() {
    #expect(failure(renkei, "fund", "adjust", "1", "memo", "extra")?.message == "Unexpected argument 'extra'")
    #expect(failure(renkei, "status", "--", "--json")?.message == "Unexpected argument '--json'")
  }

  @Test func subcommandNamesAreNotRecognisedAfterTheTerminator() {
    #expect(failure(renkei, "--", "status")?.code == .unknownSubcommand)
  }

  @Test func theFirstBrokenRuleIsReported() {
    #expect(failure(renkei, "event", "add", "--bogus", "--title")?.code == .unknownOption)
    #expect(failure(renkei, "event", "add", "--title", "A", "--title", "B", "--bogus")?.code == .duplicateOption)
  }

  // MARK: Help

  @Test(arguments: [
    ["--help"], ["-h"], ["event", "add", "--help"], ["event", "add", "-h"],
    ["event", "add", "--title", "T", "--json", "--help"], ["--help", "event", "add"], ["event", "-h", "add"],
    ["--dir", "D", "event", "add", "-h"], ["event", "add", "--bogus", "--help"], ["event", "add", "--title", "-h"],
    ["event", "add", "--title", "--help", "stray"],
  ])
  func helpAnywhereGivesTheHelpOfTheCommandNamed(line: [String]) throws {
    let expectedPath = line.filter { ["event", "add"].contains($0) }
    let result = try renkei.parse(line)
    #expect(result == .help(renkei.helpText(subcommandPath: expectedPath)!))
  }

  @Test func helpSkipsOptionValuesThatLookLikeSubcommands() throws {
    #expect(
      try renkei.parse(["--dir", "event", "status", "--help"]) == .help(renkei.helpText(subcommandPath: ["status"])!))
    #expect(
      try renkei.parse(["--dir=event", "status", "--help"]) == .help(renkei.helpText(subcommandPath: ["status"])!))
  }

  @Test func helpAfterAnUnknownSubcommandIsTheHelpOfTheLastKnownCommand() throws {
    #expect(try renkei.parse(["event", "ad", "--help"]) == .help(renkei.helpText(subcommandPath: ["event"])!))
  }

  @Test func helpAfterTheTerminatorIsAnArgument() throws {
    let parsed = try parsed(renkei, "note", "search", "--", "-h")
    #expect(parsed.strings("words") == ["-h"])
  }

  @Test func helpTextForAnUnknownPathIsNil() {
    #expect(renkei.helpText(subcommandPath: ["event", "remove"]) == nil)
    #expect(renkei.helpText(subcommandPath: []) != nil)
  }

  // MARK: Reporting

  @Test func usageErrorReportFollowsSwiftArgumentParser() {
    let error = failure(renkei, "event", "add", "--titel", "T")
    #expect(
      error?.report == """
        Error: Unknown option '--titel'. Did you mean '--title'?
        Usage: renkei event add --title <text> [--kind <kind>] [--co-host <name> ...] [--participants <count>] [--json]
          See 'renkei event add --help' for more information.
        """)
  }

  @Test func runnerReportsUsageErrorsWithStatus64AndOtherErrorsWithStatus1() {
    struct Refusal: Error, CustomStringConvertible {
      var description: String { "the hub refused the token" }
    }
    let usage = CommandLineError(
      code: .missingArgument, message: "m", commandPath: ["renkei", "status"], usage: "renkei status")
    let usageReport = CommandLineRunner.report(for: usage)
    #expect(usageReport.status == .usage)
    #expect(usageReport.text == "Error: m\nUsage: renkei status\n  See 'renkei status --help' for more information.")
    let other = CommandLineRunner.report(for: Refusal())
    #expect(other.status == .failure)
    #expect(other.text == "Error: the hub refused the token")
  }

  @Test func anErrorThatNamesItsExitStatusGetsIt() {
    struct DiskFull: ExitStatusReporting, CustomStringConvertible {
      var exitCode: ExitCode { .ioError }
      var description: String { "the disk is full" }
    }
    let report = CommandLineRunner.report(for: DiskFull())
    #expect(report.status == .ioError && report.status.rawValue == 74)
    #expect(report.text == "Error: the disk is full")
  }

  @Test func errorDescriptionIsTheMessage() {
    let error = CommandLineError(code: .rejected, message: "No such site", commandPath: ["renkei-hub"], usage: "u")
    #expect("\(error)" == "No such site")
    #expect("\(error.code)" == "rejected")
  }
}
