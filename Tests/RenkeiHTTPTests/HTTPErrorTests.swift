import Foundation
import Testing

@testable import RenkeiHTTP

@Suite struct HTTPErrorTests {
  private struct Envelope: Decodable, Equatable {
    struct Detail: Decodable, Equatable {
      let code: String
      let message: String
    }
    let error: Detail
  }

  @Test func rendersTheOneJSONShape() throws {
    let response = HTTPError(.notFound, message: "No record r-1.").response
    #expect(response.status == .notFound)
    #expect(response.headers["Content-Type"] == "application/json")
    #expect(
      String(decoding: response.body, as: UTF8.self) == #"{"error":{"code":"not-found","message":"No record r-1."}}"#)
  }

  @Test func escapesTheMessage() throws {
    let message = "quote \" backslash \\ newline \n 日本 </script>"
    let response = HTTPError(.conflict, code: "epoch-reused", message: message).response
    let decoded = try JSONDecoder().decode(Envelope.self, from: response.bodyData)
    #expect(decoded == Envelope(error: .init(code: "epoch-reused", message: message)))
  }

  @Test func derivesCodesFromReasonPhrases() {
    #expect(HTTPError.defaultCode(for: .requestHeaderFieldsTooLarge) == "request-header-fields-too-large")
    #expect(HTTPError.defaultCode(for: .httpVersionNotSupported) == "http-version-not-supported")
    #expect(HTTPError.defaultCode(for: .contentTooLarge) == "content-too-large")
    #expect(HTTPError.defaultCode(for: HTTPStatus(code: 599)) == "status-599")
  }

  @Test func internalServerErrorSaysNothing() {
    let error = HTTPError.internalServerError
    #expect(error.status == .internalServerError)
    #expect(error.code == "internal-server-error")
    #expect(error.message == "The server could not complete the request.")
  }

  @Test func jsonResponsesEncodeValues() throws {
    struct Page: Codable, Equatable { let items: [Int] }
    let response = HTTPResponse.json(Page(items: [1, 2]), status: .accepted)
    #expect(response.status == .accepted)
    #expect(response.headers["content-type"] == "application/json")
    #expect(try JSONDecoder().decode(Page.self, from: response.bodyData) == Page(items: [1, 2]))
  }

  @Test func unencodableJSONBecomesA500() {
    let response = HTTPResponse.json(["x": Double.nan])
    #expect(response == HTTPError.internalServerError.response)
  }
}
