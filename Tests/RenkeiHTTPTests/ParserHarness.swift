import RenkeiHTTP

/// Feeding helpers shared by the parser tests.
enum ParserHarness {
  /// The first result for `text` fed in one piece.
  static func parse(
    _ text: String,
    maxHeaderBytes: Int = HTTPRequestParser.defaultMaxHeaderBytes,
    maxBodyBytes: Int = HTTPRequestParser.defaultMaxBodyBytes
  ) -> HTTPParseResult {
    var parser = HTTPRequestParser(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    parser.feed(Array(text.utf8))
    return parser.next()
  }

  /// Every request and the final state, feeding `chunks` in order and draining the parser
  /// after each: the outcome that must not depend on how the bytes were split.
  static func outcome(
    of chunks: [[UInt8]],
    maxHeaderBytes: Int = HTTPRequestParser.defaultMaxHeaderBytes,
    maxBodyBytes: Int = HTTPRequestParser.defaultMaxBodyBytes
  ) -> [HTTPParseResult] {
    var parser = HTTPRequestParser(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    var results: [HTTPParseResult] = []
    for chunk in chunks {
      parser.feed(chunk)
      drain: while true {
        let result = parser.next()
        switch result {
        case .request: results.append(result)
        case .needsMoreData: break drain
        case .error:
          results.append(result)
          return results
        }
      }
    }
    results.append(parser.next())
    return results
  }
}

extension HTTPParseResult {
  var request: HTTPRequest? {
    if case .request(let request) = self { return request }
    return nil
  }

  var error: HTTPParseError? {
    if case .error(let error) = self { return error }
    return nil
  }
}
