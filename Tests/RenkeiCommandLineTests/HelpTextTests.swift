import Testing

@testable import RenkeiCommandLine

/// The generated help, compared in full against the sample trees.
@Suite struct HelpTextTests {
  @Test func rootHelpListsOptionsAndSubcommands() throws {
    #expect(
      try SampleCommands.renkei.parse(["--help"])
        == .help(
          """
          OVERVIEW: Keeps a prefecture's liaison records and syncs them with the hub.

          USAGE: renkei [--dir <path>] <subcommand>

          OPTIONS:
            --dir <path>  The replica directory.
            -h, --help    Show help information.

          SUBCOMMANDS:
            event         Records events.
            fund          Keeps the fund ledger.
            note          Keeps hearing notes.
            status        Shows what is waiting to sync.

            See 'renkei <subcommand> --help' for detailed help.
          """))
  }

  @Test func leafHelpShowsDiscussionUsageAndAlignedOptionsWithInheritedOnesLast() throws {
    #expect(
      try SampleCommands.renkei.parse(["event", "add", "-h"])
        == .help(
          """
          OVERVIEW: Adds an event.

          The event is stored locally and sent to the hub on the next sync.

          USAGE: renkei event add --title <text> [--kind <kind>] [--co-host <name> ...] [--participants <count>] [--json]

          OPTIONS:
            --title <text>          The event's title.
            --kind <kind>           seminar, workshop or meeting.
            --co-host <name>        A co-hosting body; repeat for each.
            --participants <count>  How many took part.
            --json                  Print the new event as JSON.
            --dir <path>            The replica directory.
            -h, --help              Show help information.
          """))
  }

  @Test func helpListsArgumentsAndShowsTheUsageInDeclarationOrder() throws {
    #expect(
      try SampleCommands.hub.parse(["conflicts", "resolve", "--help"])
        == .help(
          """
          OVERVIEW: Resolves a conflict field by field.

          USAGE: renkei-hub conflicts resolve <id> --field <field=site> ... --reason <text> [<note> ...]

          ARGUMENTS:
            <id>                  The conflict's number.
            <note> ...            Extra words for the log.

          OPTIONS:
            --field <field=site>  Which site's value a field keeps.
            --reason <text>       Why, for the audit log.
            -h, --help            Show help information.
          """))
  }

  @Test func helpShowsDefaults() throws {
    #expect(
      SampleCommands.hub.helpText(subcommandPath: ["serve"]) == """
        OVERVIEW: Serves the sync API.

        USAGE: renkei-hub serve --dir <path> [--listen <host:port>]

        OPTIONS:
          --dir <path>          The hub's data directory.
          --listen <host:port>  Where to listen. (default: 127.0.0.1:8470)
          -h, --help            Show help information.
        """)
  }

  @Test func intermediateCommandHelpPointsAtItsSubcommands() {
    let help = SampleCommands.renkei.helpText(subcommandPath: ["event"])
    #expect(help?.hasPrefix("OVERVIEW: Records events.\n\nUSAGE: renkei event <subcommand>\n") == true)
    #expect(help?.hasSuffix("\n\n  See 'renkei event <subcommand> --help' for detailed help.") == true)
  }

  @Test func labelTooLongForTheColumnPutsItsHelpOnTheNextLine() {
    let command = Command(
      "tool",
      abstract: "",
      parameters: [
        .flag("v", help: "Verbose."),
        .option("an-unusually-long-option-name", valueName: "value", help: "Long."),
        .option("quiet-output", valueName: "n", help: ""),
      ])
    #expect(
      command.helpText() == """
        USAGE: tool [--v] [--an-unusually-long-option-name <value>] [--quiet-output <n>]

        OPTIONS:
          --v                           Verbose.
          --an-unusually-long-option-name <value>
                                        Long.
          --quiet-output <n>
          -h, --help                    Show help information.
        """)
  }

  @Test func usageLineMarksOptionalRepeatedAndRequiredParameters() {
    let command = Command(
      "tool",
      abstract: "Tests usage.",
      parameters: [
        .option("a", help: "", required: true),
        .option("b", help: ""),
        .option("c", help: "", repeatable: true),
        .option("d", help: "", required: true, repeatable: true),
        .flag("e", help: ""),
        .argument("f", help: ""),
        .argument("g", help: "", required: false),
        .argument("h", help: "", variadic: true),
      ])
    #expect(
      CommandChain(root: command).usage == "tool --a <a> [--b <b>] [--c <c> ...] --d <d> ... [--e] <f> [<g>] <h> ...")
  }
}
