import Foundation

/// The agent's copy of its hub token, in the agent directory with mode 0600.
enum AccessTokenFile {
  static func path(in directory: AgentDirectory) -> String { directory.path + "/token" }

  /// Reads a token from a file staff were given, refusing anything that is not one token.
  static func read(from path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AgentError(.badInput, "cannot read the token file \(path)")
    }
    // Notepad on Windows, where a token often travels through, saves UTF-8 with a byte-order
    // mark, or UTF-16 when "Unicode" is chosen: the token inside is the same.
    let text =
      data.starts(with: [0xFF, 0xFE]) ? String(data: data.dropFirst(2), encoding: .utf16LittleEndian)
      : data.starts(with: [0xFE, 0xFF]) ? String(data: data.dropFirst(2), encoding: .utf16BigEndian)
      : String(decoding: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data, as: UTF8.self)
    let token = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard token.hasPrefix("rk_"), token.utf8.count == 67, !token.contains(where: \.isWhitespace) else {
      throw AgentError(.badInput, "\(path) does not hold a Renkei token (rk_ and 64 hex digits, as renkei-hub site add printed it)")
    }
    return token
  }

  /// Writes the token with mode 0600 beside the old one, then puts it in place in one
  /// rename: a cut leaves the old token or the new, never half of one, and never readable
  /// by others for a moment.
  static func store(_ token: String, in directory: AgentDirectory) throws {
    let path = path(in: directory)
    let fresh = path + ".new"
    try? FileManager.default.removeItem(atPath: fresh)
    guard FileManager.default.createFile(atPath: fresh, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]),
      rename(fresh, path) == 0
    else {
      try? FileManager.default.removeItem(atPath: fresh)
      throw AgentError(.damaged, "cannot write \(path)")
    }
  }
}
