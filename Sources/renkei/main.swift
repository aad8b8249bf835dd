import RenkeiAgent
import RenkeiCommandLine

await CommandLineRunner.run(AgentCommands.root) { try await AgentCommands.run($0) }
