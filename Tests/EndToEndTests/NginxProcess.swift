import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// nginx run by a test in the foreground (daemon off), so the test owns the process and
/// stops it. Everything it writes (pid, logs, temporary bodies) stays in `directory`; the
/// test gives the inside of the `http` block: log formats, servers, compression.
final class NginxProcess {
  let directory: String
  private let process = Process()

  init(directory: String, http: String) throws {
    self.directory = directory
    let configuration = """
      worker_processes 1;
      pid \(directory)/nginx.pid;
      error_log \(directory)/error.log;
      events { worker_connections 64; }
      http {
        client_body_temp_path \(directory)/body; proxy_temp_path \(directory)/proxy; fastcgi_temp_path \(directory)/fcgi;
        uwsgi_temp_path \(directory)/uwsgi; scgi_temp_path \(directory)/scgi;
      \(http)
      }
      """
    try configuration.write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
    process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    process.arguments = ["-c", "\(directory)/nginx.conf", "-p", directory, "-g", "daemon off;"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    for _ in 0..<50 where !FileManager.default.fileExists(atPath: "\(directory)/nginx.pid") { usleep(100_000) }
    guard process.isRunning else {
      throw EndToEndFailure("nginx did not start: \((try? String(contentsOfFile: "\(directory)/error.log", encoding: .utf8)) ?? "")")
    }
  }

  /// What nginx logged of the requests it served, in the formats the test gave.
  var accessLog: String { (try? String(contentsOfFile: "\(directory)/access.log", encoding: .utf8)) ?? "" }

  deinit {
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
  }
}
