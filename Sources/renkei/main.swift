import Foundation
import RenkeiAgent
import RenkeiCommandLine
import RenkeiCore

// Past a file-size limit (ulimit -f) a write should fail with EFBIG and be reported like a
// full disk, not kill the agent with SIGXFSZ halfway through a sync.
signal(SIGXFSZ, SIG_IGN)

if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
  print("renkei \(RenkeiVersion.current)")
  exit(0)
}

await CommandLineRunner.run(AgentCommands.root) { try await AgentCommands.run($0) }
