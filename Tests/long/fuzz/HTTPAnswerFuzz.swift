// libFuzzer entry point for the agent's reader of HTTP answers, what reads every byte a hub
// (or whatever answers in its place) sends over http://: any input must be read or refused
// with a failure, never crash; a body read must be within the limit; and the result must be
// the same whether the input arrives whole, byte by byte, or in pieces of sizes the input
// itself chooses, as a network may cut it anywhere.
//
// Compiled by Tests/long/run.sh together with Sources/RenkeiAgent/HTTPAnswerReader.swift
// alone (it needs only the standard library), never by SwiftPM:
//   swiftc -sanitize=fuzzer,address -parse-as-library -module-name RenkeiAgent Sources/RenkeiAgent/HTTPAnswerReader.swift <this file>

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPAnswer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  let limit = 1024
  let whole = read(input, limit: limit) { _ in input.count }
  if case .success(let answer) = whole { precondition(answer.body.count <= limit, "a body passed the limit") }
  precondition(read(input, limit: limit) { _ in 1 } == whole, "byte by byte read differently")
  precondition(
    read(input, limit: limit) { turn in input.isEmpty ? 1 : Int(input[turn % input.count] % 13) + 1 } == whole, "pieces read differently")
  return 0
}

private enum Outcome: Equatable {
  case success(HTTPAnswerReader.Answer)
  case failure(String)
}

/// Reads `input` handed over in pieces whose sizes `pieceSize` gives for each turn.
private func read(_ input: [UInt8], limit: Int, pieceSize: @escaping (Int) -> Int) -> Outcome {
  var offset = 0
  var turn = 0
  var reader = HTTPAnswerReader {
    let size = min(pieceSize(turn), input.count - offset)
    turn += 1
    defer { offset += size }
    return Array(input[offset..<(offset + size)])
  }
  do {
    return .success(try reader.finalAnswer(limit: limit))
  } catch {
    return .failure("\(error)")
  }
}
