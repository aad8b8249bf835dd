import Testing

@testable import RenkeiCommandLine

/// The rules a command tree itself must keep, and the "did you mean" distance.
@Suite struct CommandSpecificationTests {
  func problems(_ parameters: [Parameter], subcommands: [Command] = []) -> [String] {
    Command("tool", abstract: "", parameters: parameters, subcommands: subcommands).specificationProblems()
  }

  @Test func sampleTreesAreSound() {
    #expect(SampleCommands.renkei.specificationProblems() == [])
    #expect(SampleCommands.hub.specificationProblems() == [])
  }

  @Test func aNameDeclaredTwiceOnOneCommandIsAProblem() {
    #expect(
      problems([.flag("json", help: ""), .option("json", help: "")]) == [
        "tool: 'json' is declared more than once on this path"
      ])
    #expect(problems([.option("id", help: ""), .argument("id", help: "")]).count == 1)
  }

  @Test func anAbsentSubcommandMayNotAlsoBeOne() {
    let tree = Command("tool", abstract: "", subcommands: [Command("edit", abstract: "")], absentSubcommands: ["edit": "use fix"])
    #expect(tree.specificationProblems() == ["tool: 'edit' is both a subcommand and an absent one"])
  }

  @Test func aSubcommandRedeclaringAnAncestorsNameIsAProblem() {
    let child = Command("child", abstract: "", parameters: [.flag("dir", help: "")])
    #expect(
      problems([.option("dir", help: "")], subcommands: [child]) == [
        "tool child: 'dir' is declared more than once on this path"
      ])
  }

  @Test func siblingsMayReuseANameAndSubcommandNamesMustBeUnique() {
    let list = Command("list", abstract: "", parameters: [.flag("json", help: "")])
    let show = Command("show", abstract: "", parameters: [.flag("json", help: "")])
    #expect(problems([], subcommands: [list, show]) == [])
    #expect(problems([], subcommands: [list, list]) == ["tool: subcommand 'list' is declared more than once"])
  }

  @Test func helpIsReserved() {
    #expect(problems([.flag("help", help: "")]) == ["tool: 'help' is reserved for --help"])
  }

  @Test(arguments: ["", "-x", "a=b", "two words"])
  func unusableParameterNamesAreProblems(name: String) {
    #expect(problems([.flag(name, help: "")]) == ["tool: '\(name)' is not a usable parameter name"])
  }

  @Test func aCommandWithSubcommandsTakesNoArguments() {
    #expect(
      problems([.argument("id", help: "")], subcommands: [Command("list", abstract: "")]) == [
        "tool: a command with subcommands cannot take positional arguments"
      ])
  }

  @Test func argumentsMustBeOrderedRequiredFirstVariadicLast() {
    #expect(
      problems([.argument("a", help: "", required: false), .argument("b", help: "")]) == [
        "tool: required argument '<b>' follows optional '<a>'"
      ])
    #expect(
      problems([.argument("a", help: "", variadic: true), .argument("b", help: "", required: false)]) == [
        "tool: argument '<b>' follows variadic '<a>'"
      ])
    #expect(problems([.argument("a", help: ""), .argument("b", help: "", required: false, variadic: true)]) == [])
  }

  @Test func anOptionCannotBeRequiredAndDefaulted() {
    #expect(
      problems([.option("fy", help: "", required: true, defaultValue: "2023")]) == [
        "tool: option '--fy' is both required and defaulted"
      ])
  }

  @Test func parsingAnUnsoundTreeTraps() async {
    await #expect(processExitsWith: .failure) {
      _ = try? Command("tool", abstract: "", parameters: [.flag("help", help: "")]).parse([])
    }
  }

  @Test func readingAnUndeclaredNameTraps() async {
    await #expect(processExitsWith: .failure) {
      if case .arguments(let parsed) = try SampleCommands.renkei.parse(["status"]) {
        _ = parsed.string("titel")
      }
    }
  }

  @Test func readingAFlagAsAStringTraps() async {
    await #expect(processExitsWith: .failure) {
      if case .arguments(let parsed) = try SampleCommands.renkei.parse(["status"]) {
        _ = parsed.string("json")
      }
    }
  }

  // MARK: Did you mean

  @Test(arguments: [
    ("title", "title", 0), ("titel", "title", 1), ("title", "titles", 1), ("title", "itle", 1),
    ("title", "tutle", 1), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("ca", "abc", 3),
  ])
  func editDistanceCountsSwapsAsOneEdit(lhs: String, rhs: String, distance: Int) {
    #expect(ClosestName.editDistance(lhs, rhs) == distance)
    #expect(ClosestName.editDistance(rhs, lhs) == distance)
  }

  @Test func suggestionPrefersTheNearestAndThenTheFirstListed() {
    #expect(ClosestName.suggestion(for: "fy", among: ["fx", "fz"]) == "fx")
    #expect(ClosestName.suggestion(for: "jsn", among: ["dir", "json"]) == "json")
    #expect(ClosestName.suggestion(for: "kin", among: ["kind", "king"]) == "kind")
    #expect(ClosestName.suggestion(for: "scop", among: ["sco", "scope"]) == "sco")
  }

  @Test func suggestionNeedsToBeNearOrAPrefix() {
    #expect(ClosestName.suggestion(for: "x", among: ["dir", "json"]) == nil)
    #expect(ClosestName.suggestion(for: "venue", among: ["title", "kind"]) == nil)
    #expect(ClosestName.suggestion(for: "part", among: ["kind", "participants"]) == "participants")
    #expect(ClosestName.suggestion(for: "pa", among: ["participants"]) == nil)
    #expect(ClosestName.suggestion(for: "json", among: ["json"]) == nil)
  }
}
