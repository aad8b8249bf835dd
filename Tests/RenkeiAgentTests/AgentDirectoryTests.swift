import Testing

@testable import RenkeiAgent

@Suite struct AgentDirectoryTests {
  @Test func explicitDirectoryWinsOverTheEnvironment() {
    let directory = AgentDirectory(explicit: "/tmp/a", environment: ["RENKEI_HOME": "/tmp/b", "HOME": "/home/x"])
    #expect(directory.path == "/tmp/a")
  }

  @Test func renkeiHomeWinsOverHome() {
    #expect(AgentDirectory(explicit: nil, environment: ["RENKEI_HOME": "/tmp/b", "HOME": "/home/x"]).path == "/tmp/b")
    #expect(AgentDirectory(explicit: nil, environment: ["HOME": "/home/x"]).path == "/home/x/.renkei")
  }
}
