import RenkeiCommandLine

/// A file staff named could not be written: the error says why (``FileProblem``).
enum FileWriteFailure {
  static func error(writing path: String, _ error: any Error) -> AgentError {
    AgentError(.badInput, "cannot write \(path): \(FileProblem.writing(path, error: error) ?? "the system refused it")")
  }
}
