import Foundation
import RenkeiHTTP
import Testing

/// `--hub` pointing at a web server that is not a Renkei hub (a mistyped path, a proxy
/// without the hub behind it): staff are told to check the address, not shown the server's
/// HTML page or a Swift decoding error.
@Suite struct WrongHubAddressTests {
  @Test(arguments: [404, 200])
  func aServerThatIsNotAHubIsNamedAsSuch(status: Int) throws {
    var configuration = HTTPServer.Configuration()
    configuration.port = 0
    let server = HTTPServer(configuration: configuration) { _ in
      status == 200
        ? HTTPResponse(status: HTTPStatus(code: 200), headers: ["Content-Type": "application/json"], body: Array(#"{"hello": 1}"#.utf8))
        : HTTPResponse(
          status: HTTPStatus(code: 404), headers: ["Content-Type": "text/html"],
          body: Array("<!DOCTYPE html><html><h1>Not Found</h1></html>".utf8))
    }
    try server.start()
    defer { server.stop() }
    let sandbox = try AgentSandbox()
    let hub = "http://127.0.0.1:\(server.boundPort!)"
    let result = try sandbox.run([
      "--dir", sandbox.root + "/saitama", "init", "--site", "saitama", "--hub", hub, "--token-file", sandbox.tokenFile,
    ])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("Error: the server at \(hub) does not answer as a Renkei hub"), "\(result.stderr)")
    #expect(result.stderr.contains("is \(hub) the hub's address?"), "\(result.stderr)")
    for leak in ["<html", "<!DOCTYPE", "DecodingError", "Debug description"] {
      #expect(!result.stderr.contains(leak), "\(result.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: sandbox.root + "/saitama"))
  }
}
