import Testing

@testable import RenkeiCommandLine

/// The runner in a child process: what it prints where, and the status it exits with.
@Suite struct CommandLineRunnerTests {
  @Test func helpGoesToStandardOutputAndExitsZero() async throws {
    let result = try await #require(
      processExitsWith: .exitCode(0), observing: [\.standardOutputContent, \.standardErrorContent]
    ) {
      await CommandLineRunner.run(SampleCommands.renkei, arguments: ["status", "--help"]) { _ in }
    }
    let expected = SampleCommands.renkei.helpText(subcommandPath: ["status"])! + "\n"
    #expect(String(decoding: result.standardOutputContent, as: UTF8.self) == expected)
    // Only look for our own words: the test harness may write bytes of its own to the child's streams.
    #expect(!String(decoding: result.standardErrorContent, as: UTF8.self).contains("Error"))
  }

  @Test func usageErrorGoesToStandardErrorAndExits64() async throws {
    let result = try await #require(
      processExitsWith: .exitCode(64), observing: [\.standardOutputContent, \.standardErrorContent]
    ) {
      await CommandLineRunner.run(SampleCommands.renkei, arguments: ["status", "--jsn"]) { _ in }
    }
    #expect(!String(decoding: result.standardOutputContent, as: UTF8.self).contains("Usage"))
    #expect(
      String(decoding: result.standardErrorContent, as: UTF8.self) == """
        Error: Unknown option '--jsn'. Did you mean '--json'?
        Usage: renkei status [--json]
          See 'renkei status --help' for more information.

        """)
  }

  @Test func usageErrorThrownByTheCommandExits64() async {
    await #expect(processExitsWith: .exitCode(64)) {
      await CommandLineRunner.run(
        SampleCommands.renkei, arguments: ["event", "add", "--title", "T", "--participants", "x"]
      ) {
        parsed in
        _ = try parsed.int("participants")
      }
    }
  }

  @Test func otherErrorsExit1() async throws {
    struct Refusal: Error {}
    let result = try await #require(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      await CommandLineRunner.run(SampleCommands.renkei, arguments: ["status"]) { _ in throw Refusal() }
    }
    #expect(String(decoding: result.standardErrorContent, as: UTF8.self).hasPrefix("Error: "))
  }

  @Test func successfulCommandExitsZeroAfterItsOutput() async throws {
    let result = try await #require(processExitsWith: .exitCode(0), observing: [\.standardOutputContent]) {
      await CommandLineRunner.run(SampleCommands.renkei, arguments: ["--dir", "D", "status", "--json"]) { parsed in
        print("\(parsed.subcommandPath) \(parsed.string("dir") ?? "-") \(parsed.flag("json"))")
      }
    }
    #expect(String(decoding: result.standardOutputContent, as: UTF8.self) == "[\"status\"] D true\n")
  }
}
