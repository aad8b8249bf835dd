import RenkeiCommandLine

/// Cut-down trees of the two executables' commands, enough to exercise every parsing rule.
enum SampleCommands {
  static let renkei = Command(
    "renkei",
    abstract: "Keeps a prefecture's liaison records and syncs them with the hub.",
    parameters: [
      .option("dir", valueName: "path", help: "The replica directory.")
    ],
    subcommands: [
      Command(
        "event",
        abstract: "Records events.",
        subcommands: [
          Command(
            "add",
            abstract: "Adds an event.",
            discussion: "The event is stored locally and sent to the hub on the next sync.",
            parameters: [
              .option("title", valueName: "text", help: "The event's title.", required: true),
              .option("kind", help: "seminar, workshop or meeting."),
              .option("co-host", valueName: "name", help: "A co-hosting body; repeat for each.", repeatable: true),
              .option("participants", valueName: "count", help: "How many took part."),
              .flag("json", help: "Print the new event as JSON."),
            ]),
          Command("list", abstract: "Lists events.", parameters: [.flag("json", help: "Print JSON.")]),
        ]),
      Command(
        "fund",
        abstract: "Keeps the fund ledger.",
        subcommands: [
          Command(
            "balance",
            abstract: "Shows a fiscal year's balance.",
            parameters: [.option("fy", valueName: "year", help: "The fiscal year.", required: true)]),
          Command(
            "adjust",
            abstract: "Records an adjustment.",
            parameters: [
              .argument("amount", help: "Yen, negative to reduce."),
              .argument("memo", help: "Why.", required: false),
            ]),
        ]),
      Command(
        "note",
        abstract: "Keeps hearing notes.",
        subcommands: [
          Command(
            "search",
            abstract: "Finds notes containing every word.",
            parameters: [
              .argument("words", help: "Words to look for.", variadic: true),
              .flag("json", help: "Print JSON."),
            ])
        ]),
      Command("status", abstract: "Shows what is waiting to sync.", parameters: [.flag("json", help: "Print JSON.")]),
    ])

  static let hub = Command(
    "renkei-hub",
    abstract: "Runs the hub that the prefectures' agents sync with.",
    subcommands: [
      Command(
        "serve",
        abstract: "Serves the sync API.",
        parameters: [
          .option("dir", valueName: "path", help: "The hub's data directory.", required: true),
          .option("listen", valueName: "host:port", help: "Where to listen.", defaultValue: "127.0.0.1:8470"),
        ]),
      Command(
        "site",
        abstract: "Manages sites.",
        subcommands: [
          Command(
            "add",
            abstract: "Registers a site and prints its token.",
            parameters: [
              .argument("name", help: "The site's name."),
              .option("role", help: "prefecture, municipality or bureau.", required: true),
              .option("scope", valueName: "code", help: "A prefecture code it may see.", repeatable: true),
            ])
        ]),
      Command(
        "conflicts",
        abstract: "Works through the conflict queue.",
        subcommands: [
          Command("list", abstract: "Lists open conflicts."),
          Command(
            "resolve",
            abstract: "Resolves a conflict field by field.",
            parameters: [
              .argument("id", help: "The conflict's number."),
              .option(
                "field", valueName: "field=site", help: "Which site's value a field keeps.", required: true,
                repeatable: true),
              .option("reason", valueName: "text", help: "Why, for the audit log.", required: true),
              .argument("note", help: "Extra words for the log.", required: false, variadic: true),
            ]),
        ]),
    ])
}
