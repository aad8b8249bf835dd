import Testing

@testable import RenkeiCommandLine

@Suite struct ExitCodeTests {
  @Test func usageErrorsExitWithSysexitsUsage() {
    #expect(ExitCode.usage.rawValue == 64)
  }
}
