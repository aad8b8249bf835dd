import Foundation

/// Checks a bureau CA certificate given with `--ca-file` against the system trust store.
///
/// On Linux, Foundation's URLSession verifies TLS through libcurl against the system's CA
/// bundle only, and offers no per-session way to add a CA. So renkei never turns
/// verification off: `--ca-file` names the CA the hub's certificate must chain to, and
/// renkei checks that the system trusts it, saying exactly how to install it if not.
public enum TrustedCertificateAuthority {
  /// Where Debian's ca-certificates puts the bundle that libcurl reads.
  public static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]

  /// The base64 bodies of the PEM certificates in `text`, whitespace removed.
  static func certificates(in text: String) -> [String] {
    var result: [String] = []
    var current: String?
    for line in text.split(whereSeparator: \.isNewline) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed == "-----BEGIN CERTIFICATE-----" {
        current = ""
      } else if trimmed == "-----END CERTIFICATE-----" {
        if let body = current, !body.isEmpty { result.append(body) }
        current = nil
      } else if current != nil {
        current! += trimmed
      }
    }
    return result
  }

  /// Refuses a file that holds no certificate, and a CA the system does not trust yet.
  public static func check(_ path: String, bundles: [String] = systemBundles) throws {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw AgentError(.badInput, "cannot read the CA file \(path)")
    }
    let wanted = certificates(in: text)
    guard !wanted.isEmpty else { throw AgentError(.badInput, "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)") }
    let trusted = Set(
      bundles.compactMap { FileManager.default.contents(atPath: $0) }.flatMap { certificates(in: String(decoding: $0, as: UTF8.self)) })
    guard wanted.allSatisfy(trusted.contains) else {
      throw AgentError(
        .tlsUntrusted,
        "the CA in \(path) is not in this machine's trust store, which renkei's HTTPS client (URLSession) uses; install it first: sudo cp \(path) /usr/local/share/ca-certificates/renkei-bureau-ca.crt && sudo update-ca-certificates")
    }
  }
}
