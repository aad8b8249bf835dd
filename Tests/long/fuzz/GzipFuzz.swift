// libFuzzer entry point for gzip and DEFLATE decoding, what the hub runs on every gzip-coded
// request body before anything else reads it: any input must decode or be refused with a
// CompressionError, within the output limit; whatever decodes must survive a round trip; and
// any input, taken as plain data, must come back from compressing and decompressing it.
//
// Compiled by Tests/long/run.sh together with the RenkeiCompression sources, never by SwiftPM:
//   swiftc -sanitize=fuzzer,address -parse-as-library -module-name RenkeiCompression Sources/RenkeiCompression/*.swift <this file>

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  let limit = 1 << 20
  for decoded in [try? Gzip.decompress(input, limit: limit), try? Deflate.decompress(input, limit: limit)] {
    guard let decoded else { continue }
    precondition(decoded.count <= limit, "decoding passed its limit")
    precondition(try! Gzip.decompress(Gzip.compress(decoded), limit: decoded.count) == decoded, "a decoded input did not round-trip")
  }
  precondition(try! Gzip.decompress(Gzip.compress(input), limit: input.count) == input, "an input did not round-trip")
  return 0
}
