import Foundation
import RenkeiHub
import RenkeiStore
import Testing

/// Durable before acknowledged, shown with the system calls themselves: under `strace`, the
/// hub's fdatasync of its write-ahead log returns before the bytes of the push's 200 go out
/// on the socket, and the agent's commits of the acknowledged sequence and of the pull
/// cursor are fdatasync'ed before it sends its next request and before it exits.
@Suite struct DurabilityOrderTests {
  static let strace = "/usr/bin/strace"
  static let traced = "trace=fsync,fdatasync,sendto,sendmsg,recvfrom,recvmsg,write,pwrite64,writev,pwritev,pwritev2"

  /// Fails, saying why, when strace is missing or may not trace here (ptrace forbidden).
  func requireStrace() throws {
    guard FileManager.default.isExecutableFile(atPath: Self.strace) else {
      throw EndToEndFailure("\(Self.strace) is not installed; .ci/run installs it (apt-get install strace)")
    }
    let probe = try ProcessRunner.runExecutable(Self.strace, ["-f", "-o", "/dev/null", "/bin/true"])
    guard probe.status == 0 else {
      throw EndToEndFailure(
        "strace cannot trace processes on this machine (ptrace is forbidden: a container without CAP_SYS_PTRACE, or kernel.yama.ptrace_scope), so the durability order cannot be shown: \(probe.stderr)"
      )
    }
  }

  @Test func theHubSyncsBeforeItAcknowledgesAndTheAgentBeforeItMovesOn() throws {
    try requireStrace()
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-durable-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(atPath: root + "/hub", withIntermediateDirectories: true)
    let hubTrace = root + "/hub.trace"
    let agentTrace = root + "/agent.trace"
    let hub = try HubProcess(
      directory: root + "/hub", launcher: [Self.strace, "-f", "-tt", "-y", "-s", "300", "-e", Self.traced, "-o", hubTrace, "--"])
    let token = try hub.addSite("saitama", role: "prefecture", scope: "11")
    let agent = root + "/saitama"
    let setUp = try ProcessRunner.run(
      "renkei", ["--dir", agent, "init", "--site", "saitama", "--hub", hub.url, "--token-file", token, "--author", "田中"])
    try #require(setUp.status == 0, "\(setUp.stderr)")
    let added = try ProcessRunner.run(
      "renkei", ["--dir", agent, "event", "add", "--title", "地域ケア会議 研修", "--kind", "training", "--starts-on", "2023-10-05"])
    try #require(added.status == 0, "\(added.stderr)")

    let sync = try ProcessRunner.runExecutable(
      Self.strace,
      [
        "-f", "-tt", "-y", "-s", "300", "-e", Self.traced, "-o", agentTrace, "--", BinaryLocation.url(of: "renkei").path, "--dir", agent,
        "sync",
      ])
    try #require(sync.status == 0, "renkei sync under strace: \(sync.stderr)")
    #expect(hub.stop() == 0)

    // The hub: the push's commit reaches the disk before the acknowledgement leaves.
    let hubCalls = SyscallTrace(try String(contentsOfFile: hubTrace, encoding: .utf8))
    let hubWAL = HubServer.databasePath(in: root + "/hub") + "-wal"
    let push = try #require(hubCalls.first(["recvfrom", "recvmsg"], containing: "POST /v1/push"), "the hub's trace shows no push request")
    let acknowledgement = try #require(
      hubCalls.first(["sendto", "sendmsg", "write", "writev"], containing: "HTTP/1.1 200", after: push.index),
      "the hub's trace shows no answer to the push")
    let hubOrder = hubCalls.writesAreSynced(hubWAL, between: push.index, and: acknowledgement.index)
    #expect(hubOrder.problem == nil, "\(hubOrder.problem ?? "")")

    // The agent: the acknowledged sequence is committed durably before it pulls, and the
    // pull cursor before it exits.
    let agentCalls = SyscallTrace(try String(contentsOfFile: agentTrace, encoding: .utf8))
    let replicaWAL = agent + "/replica.sqlite-wal"
    let pushed = try #require(
      agentCalls.first(["recvfrom", "recvmsg", "read"], containing: "acknowledged_sequence"), "the agent's trace shows no push answer")
    let pullRequest = try #require(
      agentCalls.first(["sendto", "sendmsg", "write", "writev"], containing: "GET /v1/pull", after: pushed.index),
      "the agent's trace shows no pull")
    let acknowledged = agentCalls.writesAreSynced(replicaWAL, between: pushed.index, and: pullRequest.index)
    #expect(acknowledged.problem == nil, "\(acknowledged.problem ?? "")")
    // strace prints a quote inside a string as \", so the page's first member reads {\"cursor\":
    let lastPage = try #require(
      agentCalls.calls.last { ["recvfrom", "recvmsg", "read"].contains($0.name) && $0.arguments.contains(#"\"cursor\""#) },
      "the agent's trace shows no pull page")
    let exit = try #require(agentCalls.exits.values.max(), "the agent's trace shows no exit")
    let cursor = agentCalls.writesAreSynced(replicaWAL, between: lastPage.index, and: exit)
    #expect(cursor.problem == nil, "\(cursor.problem ?? "")")

    // synchronous = FULL as the hub and the agent open their databases (in WAL mode, NORMAL
    // would not sync at each commit, which is what the traces above show happening).
    let hubSynchronous = try Hub(path: HubServer.databasePath(in: root + "/hub")).database.prepare("PRAGMA synchronous").firstRow()!.int64(
      0)
    let replicaSynchronous = try Replica(path: agent + "/replica.sqlite").database.prepare("PRAGMA synchronous").firstRow()!.int64(0)
    #expect(
      hubSynchronous == 2 && replicaSynchronous == 2, "PRAGMA synchronous: hub \(hubSynchronous), replica \(replicaSynchronous) (2 is FULL)"
    )

    let checked = [hubOrder.problem, acknowledged.problem, cursor.problem].filter { $0 == nil }.count
    print(
      "FIGURE 2 | durable before acknowledged | strace: hub fdatasync of its WAL before the push's 200 (\(hubOrder.writes) WAL writes synced), agent fdatasync of acknowledged_sequence before its pull (\(acknowledged.writes) writes) and of the pull cursor before exit (\(cursor.writes) writes): \(checked)/3 in order, synchronous=FULL on \([hubSynchronous, replicaSynchronous].filter { $0 == 2 }.count)/2 databases"
    )
  }

  /// The reading of traces itself: a write synced only after the answer went out, or a sync
  /// still running when it did, is caught.
  @Test func aWriteSyncedAfterTheAnswerIsCaught() {
    let inOrder = """
      7 10:00:00.000001 recvfrom(5<socket:[1]>, "POST /v1/push HTTP/1.1", 8192, 0, NULL, NULL) = 22
      7 10:00:00.000002 pwrite64(4</d/hub.sqlite-wal>, "\\0", 4096, 0) = 4096
      7 10:00:00.000003 fdatasync(4</d/hub.sqlite-wal>) = 0
      7 10:00:00.000004 sendto(5<socket:[1]>, "HTTP/1.1 200 OK", 15, MSG_NOSIGNAL, NULL, 0) = 15
      """
    let late = """
      7 10:00:00.000001 recvfrom(5<socket:[1]>, "POST /v1/push HTTP/1.1", 8192, 0, NULL, NULL) = 22
      7 10:00:00.000002 pwrite64(4</d/hub.sqlite-wal>, "\\0", 4096, 0) = 4096
      7 10:00:00.000003 sendto(5<socket:[1]>, "HTTP/1.1 200 OK", 15, MSG_NOSIGNAL, NULL, 0) = 15
      7 10:00:00.000004 fdatasync(4</d/hub.sqlite-wal>) = 0
      """
    let overlapping = """
      7 10:00:00.000001 recvfrom(5<socket:[1]>, "POST /v1/push HTTP/1.1", 8192, 0, NULL, NULL) = 22
      7 10:00:00.000002 pwrite64(4</d/hub.sqlite-wal>, "\\0", 4096, 0) = 4096
      7 10:00:00.000003 fdatasync(4</d/hub.sqlite-wal> <unfinished ...>
      8 10:00:00.000004 sendto(5<socket:[1]>, "HTTP/1.1 200 OK", 15, MSG_NOSIGNAL, NULL, 0) = 15
      7 10:00:00.000005 <... fdatasync resumed>) = 0
      """
    func problem(_ text: String) -> String? {
      let trace = SyscallTrace(text)
      guard let push = trace.first(["recvfrom"], containing: "POST /v1/push"),
        let answer = trace.first(["sendto"], containing: "HTTP/1.1 200", after: push.index)
      else { return "unreadable" }
      return trace.writesAreSynced("/d/hub.sqlite-wal", between: push.index, and: answer.index).problem
    }
    #expect(problem(inOrder) == nil)
    #expect(problem(late) != nil)
    #expect(problem(overlapping) != nil)
  }
}
