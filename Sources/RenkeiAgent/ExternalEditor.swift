import Foundation

/// Lets a person edit text in their own editor, as git does for commit messages: `$EDITOR`
/// (else `vi`) on a file in a private temporary directory.
///
/// The file outlives a failed edit on purpose: when the editor fails or the text cannot be
/// saved, the caller names the file in its message, so typed work is never lost.
struct ExternalEditor: Sendable {
  /// The command, run by `/bin/sh` with the file as its last argument, so an `EDITOR` with
  /// arguments (`code --wait`, `nano -w`) works as it does for git.
  let command: String

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    let configured = environment["EDITOR"]?.trimmingWhitespace ?? ""
    command = configured.isEmpty ? "vi" : configured
  }

  /// Writes `text` to a new file called `name` in a new directory only this user can read.
  func makeFile(containing text: String, named name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("renkei-edit-\(UUID().uuidString.lowercased())")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      let file = directory.appendingPathComponent(name)
      try Data(text.utf8).write(to: file)
      return file
    } catch {
      throw AgentError(.badInput, "cannot make a file to edit in \(directory.path): \(error.localizedDescription)")
    }
  }

  /// Runs the editor on `file` and waits for it, sharing this terminal.
  /// - Throws: ``AgentError`` when the editor cannot start or does not exit with status 0.
  func run(on file: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command + " \"$1\"", "sh", file.path]
    do { try process.run() } catch {
      throw AgentError(.badInput, "cannot start the editor (\(command)): \(error.localizedDescription); set EDITOR to an editor's command")
    }
    process.waitUntilExit()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let how =
        process.terminationReason == .exit
        ? "exited with status \(process.terminationStatus)" : "was stopped by signal \(process.terminationStatus)"
      throw AgentError(.badInput, "the editor (\(command)) \(how)")
    }
  }

  /// The text saved in `file`, without a byte-order mark some editors add.
  func read(_ file: URL) throws -> String {
    guard let data = FileManager.default.contents(atPath: file.path) else {
      throw AgentError(.badInput, "cannot read \(file.path): was it moved or deleted?")
    }
    guard var text = String(data: data, encoding: .utf8) else {
      throw AgentError(.badInput, "\(file.path) is not UTF-8 text: save it as UTF-8")
    }
    if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    return text
  }

  /// Removes the file and its directory, once its text is safely stored.
  func discard(_ file: URL) {
    try? FileManager.default.removeItem(at: file.deletingLastPathComponent())
  }

  /// True when `edited` is `original` untouched, or with only the final line break an
  /// editor adds on saving (vi, nano).
  static func isUnchanged(_ edited: String, from original: String) -> Bool {
    edited == original || (!original.hasSuffix("\n") && edited == original + "\n")
  }
}
