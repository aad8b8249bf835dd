import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A real agent syncs through nginx terminating TLS with a certificate from the bureau's own
/// CA, with verification on; a certificate from a CA the machine does not trust is refused
/// with a message that says what to do.
///
/// Needs nginx and openssl (.ci/run installs them) and root, because URLSession on Linux
/// trusts only the system's CA bundle: the test installs its throwaway CA there and removes
/// it at the end.
@Suite(.serialized) struct HTTPSTests {
  static var canRun: Bool {
    ["/usr/sbin/nginx", "/usr/bin/openssl", "/usr/sbin/update-ca-certificates"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
      && geteuid() == 0
  }

  @Test(.enabled(if: canRun, "needs nginx, openssl and update-ca-certificates, run as root (apt-get install nginx-light openssl ca-certificates)"))
  func anAgentSyncsThroughNginxWithVerificationOn() throws {
    let setup = try SyncEndToEndTests.Setup()
    let tls = setup.root + "/tls"
    try FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: true)
    func openssl(_ arguments: String...) throws {
      let result = try ProcessRunner.runExecutable("/usr/bin/openssl", arguments)
      guard result.status == 0 else { throw EndToEndFailure("openssl \(arguments.joined(separator: " ")): \(result.stderr)") }
    }
    // The bureau's CA and the hub's certificate; and a stranger's CA and certificate.
    for name in ["bureau", "stranger"] {
      try openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(tls)/\(name)-ca.key", "-out", "\(tls)/\(name)-ca.crt", "-days", "2", "-subj", "/CN=Renkei \(name) CA")
      try openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(tls)/\(name).key", "-out", "\(tls)/\(name).csr", "-subj", "/CN=localhost")
      try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(toFile: "\(tls)/ext", atomically: true, encoding: .utf8)
      try openssl(
        "x509", "-req", "-in", "\(tls)/\(name).csr", "-CA", "\(tls)/\(name)-ca.crt", "-CAkey", "\(tls)/\(name)-ca.key", "-CAcreateserial",
        "-out", "\(tls)/\(name).crt", "-days", "2", "-extfile", "\(tls)/ext")
    }
    let trusted = try Self.freePort()
    let untrusted = try Self.freePort()
    let backend = setup.hub.url.replacingOccurrences(of: "http://", with: "")
    let bomb = try ProcessRunner.runExecutable("/bin/sh", ["-c", "head -c 300M /dev/zero | gzip -c > '\(tls)/bomb.gz'"])
    try #require(bomb.status == 0, "\(bomb.stderr)")
    let nginx = try NginxProcess(
      directory: tls,
      http: """
          log_format coding '$request_method $uri request:$http_content_encoding response:$sent_http_content_encoding';
          access_log \(tls)/access.log coding;
          server {
            listen 127.0.0.1:\(trusted) ssl; server_name localhost;
            ssl_certificate \(tls)/bureau.crt; ssl_certificate_key \(tls)/bureau.key;
            location / { proxy_pass http://\(backend); proxy_http_version 1.1; proxy_set_header Host $host; proxy_set_header Connection ""; }
            # A hub gone wrong: every answer a few hundred kilobytes of gzip that decode to 300 MiB.
            location /bomb/ { rewrite ^ /bomb.gz break; root \(tls); default_type application/json; add_header Content-Encoding gzip; }
          }
          server {
            listen 127.0.0.1:\(untrusted) ssl; server_name localhost;
            ssl_certificate \(tls)/stranger.crt; ssl_certificate_key \(tls)/stranger.key;
            location / { proxy_pass http://\(backend); }
          }
        """)

    let token = try setup.hub.addSite("gunma", role: "prefecture", scope: "10")
    let agent = setup.root + "/gunma"
    let initArguments = ["--dir", agent, "init", "--site", "gunma", "--hub", "https://localhost:\(trusted)", "--token-file", token, "--scope", "10", "--ca-file", "\(tls)/bureau-ca.crt"]
    // Before the CA is installed, --ca-file says how to install it.
    let refused = try ProcessRunner.run("renkei", initArguments)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("update-ca-certificates"), "\(refused.stderr)")

    let installed = "/usr/local/share/ca-certificates/renkei-test-\(UUID().uuidString).crt"
    try FileManager.default.copyItem(atPath: "\(tls)/bureau-ca.crt", toPath: installed)
    defer {
      try? FileManager.default.removeItem(atPath: installed)
      _ = try? ProcessRunner.runExecutable("/usr/sbin/update-ca-certificates", ["--fresh"])
    }
    try #require(try ProcessRunner.runExecutable("/usr/sbin/update-ca-certificates", []).status == 0)

    let created = try ProcessRunner.run("renkei", initArguments)
    try #require(created.status == 0, "\(created.stderr)")
    // Enough events that the pull answer is large enough to be gzip-coded, as the push is.
    for index in 0..<20 {
      _ = try ProcessRunner.run(
        "renkei", ["--dir", agent, "event", "add", "--title", "県研修 第\(index)回", "--kind", "training", "--starts-on", "2023-07-07"])
    }
    let synced = try ProcessRunner.run("renkei", ["--dir", agent, "sync"])
    #expect(synced.status == 0, "\(synced.stderr)")
    #expect(synced.stdout.contains("pushed 20"), "\(synced.stdout)")
    // URLSession (libcurl underneath) sent the push coded and read the coded pull answer.
    let accessLog = nginx.accessLog
    #expect(accessLog.contains("POST /v1/push request:gzip"), "\(accessLog)")
    #expect(accessLog.contains("GET /v1/pull request:- response:gzip"), "\(accessLog)")
    let listed = try ProcessRunner.run("renkei", ["--dir", agent, "event", "list", "--json"])
    #expect(listed.stdout.components(separatedBy: "県研修 第").count - 1 == 20)

    // Over https libcurl decodes gzip itself; the answer is still held to the agent's limit,
    // refused as it passes 256 MiB instead of decoded whole into memory.
    let bombed = try ProcessRunner.run(
      "renkei", ["--dir", setup.root + "/bombed", "init", "--site", "gunma", "--hub", "https://localhost:\(trusted)/bomb", "--token-file", token])
    #expect(bombed.status != 0)
    #expect(bombed.stderr.contains("larger than 268435456 bytes"), "\(bombed.stderr)")

    // The same agent pointed at a certificate from an unknown CA: refused, clearly, at once.
    let configurationPath = agent + "/agent.json"
    let text = try String(contentsOfFile: configurationPath, encoding: .utf8).replacingOccurrences(of: ":\(trusted)", with: ":\(untrusted)")
    try text.write(toFile: configurationPath, atomically: true, encoding: .utf8)
    let untrustedSync = try ProcessRunner.run("renkei", ["--dir", agent, "sync"])
    #expect(untrustedSync.status == 1)
    #expect(untrustedSync.stderr.contains("does not trust"), "\(untrustedSync.stderr)")
    #expect(!untrustedSync.stderr.contains("retrying"), "a TLS failure is not retried")
  }

  static func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
    guard bound == 0 else { throw EndToEndFailure("cannot bind a probe socket") }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
