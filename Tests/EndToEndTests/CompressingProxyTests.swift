import Foundation
import Testing

/// A hub behind nginx on a closed network, over plain http, with nginx compressing the
/// hub's answers itself: nginx then sends them chunked, since it cannot know their length
/// in advance. Agents sync through it as through the hub alone.
///
/// Needs nginx (.ci/run installs it).
@Suite(.serialized) struct CompressingProxyTests {
  static var canRun: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") }

  @Test(.enabled(if: canRun, "needs nginx (apt-get install nginx-light)"))
  func agentsSyncThroughAProxyThatSendsChunkedGzipAnswers() throws {
    let setup = try SyncEndToEndTests.Setup()
    let proxyDirectory = setup.root + "/proxy"
    try FileManager.default.createDirectory(atPath: proxyDirectory, withIntermediateDirectories: true)
    let port = try HTTPSTests.freePort()
    let backend = setup.hub.url.replacingOccurrences(of: "http://", with: "")
    let nginx = try NginxProcess(
      directory: proxyDirectory,
      http: """
          log_format framing '$request_method $uri $status coding:$sent_http_content_encoding transfer:$sent_http_transfer_encoding';
          access_log \(proxyDirectory)/access.log framing;
          gzip on; gzip_proxied any; gzip_types application/json; gzip_min_length 1;
          server {
            listen 127.0.0.1:\(port);
            # The hub's own gzip is asked off, so nginx compresses every answer itself.
            location / { proxy_pass http://\(backend); proxy_set_header Accept-Encoding ""; }
          }
        """)

    // Two agents pointed at the proxy: one writes, the other reads what it wrote.
    let proxied = "http://127.0.0.1:\(port)"
    for site in ["saitama", "kanto"] {
      let path = setup.agents[site]! + "/agent.json"
      let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: setup.hub.url, with: proxied)
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    for index in 0..<20 {
      _ = try ProcessRunner.run(
        "renkei",
        ["--dir", setup.agents["saitama"]!, "event", "add", "--title", "地域ケア会議 第\(index)回", "--kind", "council", "--starts-on", "2023-07-07"])
    }
    let pushed = try ProcessRunner.run("renkei", ["--dir", setup.agents["saitama"]!, "sync"])
    #expect(pushed.status == 0, "\(pushed.stderr)")
    #expect(pushed.stdout.contains("pushed 20"), "\(pushed.stdout)")
    let pulled = try ProcessRunner.run("renkei", ["--dir", setup.agents["kanto"]!, "sync"])
    #expect(pulled.status == 0, "\(pulled.stderr)")
    let listed = try ProcessRunner.run("renkei", ["--dir", setup.agents["kanto"]!, "event", "list", "--json"])
    #expect(listed.stdout.components(separatedBy: "地域ケア会議 第").count - 1 == 20)

    // The answers really were compressed by nginx and sent chunked.
    let accessLog = nginx.accessLog
    #expect(accessLog.contains("GET /v1/pull 200 coding:gzip transfer:chunked"), "\(accessLog)")
  }
}
