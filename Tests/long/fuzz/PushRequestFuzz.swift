// libFuzzer entry point for the push decoder: a `POST /v1/push` body decoded as the hub's push
// route decodes it (Sources/RenkeiHub/HubService.swift), then each change checked as
// `Hub.receive` checks it before touching the database.
//
// Compiled by Tests/long/run.sh together with the RenkeiCore sources, never by SwiftPM:
//   swiftc -sanitize=fuzzer,address -parse-as-library -module-name RenkeiCore Sources/RenkeiCore/**/*.swift <this file>

import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPushRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let body = Data(UnsafeBufferPointer(start: data, count: size))
  let decoded = try? JSONDecoder().decode(PushRequest.self, from: body)
  // The hub reads pushes with CanonicalJSON's direct reader first: it must agree with
  // JSONDecoder on every input.
  precondition(
    (try? CanonicalJSON.decode(PushRequest.self, from: body)) == decoded, "the direct reader and JSONDecoder disagree on a push")
  guard let push = decoded else { return 0 }
  for change in push.changes {
    do {
      try change.checkShape()
    } catch {
      _ = error.message
    }
  }
  // What the hub sends back and stores is encoded again: a decoded push must encode, and the
  // encoding must decode to the same push.
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  guard let encoded = try? encoder.encode(push) else { preconditionFailure("a decoded push did not encode") }
  let again = try? JSONDecoder().decode(PushRequest.self, from: encoded)
  precondition(again == push, "a decoded push encoded to something that decodes differently")
  return 0
}
