// libFuzzer entry point for the HTTP request parser (Sources/RenkeiHTTP/HTTPRequestParser*.swift).
//
// Compiled by Tests/long/run.sh together with the RenkeiHTTP sources, never by SwiftPM:
//   swiftc -sanitize=fuzzer,address -parse-as-library -module-name RenkeiHTTP Sources/RenkeiHTTP/*.swift <this file>
//
// Besides "no crash, no sanitizer report", it checks the parser's own promise: the outcome does
// not depend on how the bytes are split across feed calls. A difference traps, which libFuzzer
// reports as a crash with the input that caused it.

/// The first two bytes choose small limits (so the 414, 431 and 413 paths are reached by short
/// inputs) and where the rest is cut into chunks; the rest is the byte stream a client sent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size >= 2 else { return 0 }
  let control = (data[0], data[1])
  let stream = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
  let maxHeaderBytes = control.0 & 0x80 == 0 ? HTTPRequestParser.defaultMaxHeaderBytes : 16 + Int(control.0 & 0x7F) * 4
  let maxBodyBytes = control.1 & 0x80 == 0 ? HTTPRequestParser.defaultMaxBodyBytes : Int(control.1 & 0x7F) * 2

  let whole = ParserOutcome(of: [stream[...]], maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
  let chunkSize = 1 + Int(control.1 & 0x0F)
  let chunks = stride(from: 0, to: stream.count, by: chunkSize).map { stream[$0..<min($0 + chunkSize, stream.count)] }
  let split = ParserOutcome(of: chunks, maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
  precondition(whole.results == split.results, "the parser's outcome depends on how the bytes were split")
  return 0
}

/// Every result the parser gives for a stream fed in `chunks`, draining it after each chunk, and
/// what the hub reads from each request (so the accessors run on every parsed request too).
struct ParserOutcome {
  var results: [HTTPParseResult] = []

  init(of chunks: [ArraySlice<UInt8>], maxHeaderBytes: Int, maxBodyBytes: Int) {
    var parser = HTTPRequestParser(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    for chunk in chunks {
      parser.feed(chunk)
      while true {
        let result = parser.next()
        if case .needsMoreData = result { break }
        results.append(result)
        if case .request(let request) = result { Self.read(request) }
        if case .error(let error) = result {
          // Rendering the error must work for every error the parser can give.
          _ = HTTPResponseSerializer.serialize(error.httpError.response, keepAlive: false, date: nil)
          return
        }
        if parser.shouldSendContinue { parser.didSendContinue() }
      }
    }
  }

  /// What the hub's routes and the connection loop read from a request.
  static func read(_ request: HTTPRequest) {
    _ = request.queryValue(for: "after")
    _ = request.queryValues(for: "limit")
    _ = request.headers["Authorization"]
    _ = request.headers.containsToken("close", inField: "Connection")
    _ = request.pathSegments.count
    _ = request.bodyData.count
    let response = HTTPResponse.text(request.path)
    _ = HTTPResponseSerializer.serialize(
      response, keepAlive: request.keepAlive, requestVersion: request.version, isHeadRequest: request.method == .head, date: nil)
  }
}
