import Foundation
import RenkeiCompression
import RenkeiCore
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Speaks the hub's v1 API (Protocol/openapi.yaml): with Foundation's URLSession for an
/// `https://` hub behind a TLS reverse proxy, and with ``PlainHTTPExchange`` for plain
/// `http://` (see there why).
///
/// Errors: ``AgentError/Code/hubUnreachable`` for what a retry may cure (no connection,
/// a cut connection, a timeout, 5xx); ``AgentError/Code/tokenRefused`` for 401; a
/// ``HubRefusal`` for every other refusal.
///
/// Compression: pushes are sent gzip-coded, and every request accepts gzip-coded answers,
/// decoded here. Every answer is held to ``maxAnswerBytes`` (as sent over http, and
/// as decoded by libcurl over https, see ``BoundedAnswerCollector``), and so is its decoded
/// content. A hub that refuses a gzip-coded push with 415 gets the same
/// push again uncompressed, and every later push of this client (and of its
/// ``onFreshConnections()`` copies) goes uncompressed too. A 400 may come from a hub that
/// predates content coding and read the bytes as JSON, or be a genuine refusal: the push
/// is sent again uncompressed, and later pushes stay uncompressed only if that resend
/// was accepted.
public struct HubClient: Sendable {
  public let hub: URL
  private let token: String
  private let session: URLSession
  private let collector: BoundedAnswerCollector
  private let timeout: TimeInterval
  /// The largest answer accepted, before and after its content coding is removed.
  let answerLimit: Int
  /// Set once the hub has refused a gzip-coded push.
  private let sendsPlainPushes: PlainPushMemory

  /// The largest answer accepted once decoded: far above any pull page, far below memory.
  public static let maxAnswerBytes = 256 << 20

  /// A flag shared by the copies of one client (it is a struct, passed around freely).
  private final class PlainPushMemory: Sendable {
    let isSet = Mutex(false)
  }

  public init(hub: URL, token: String, timeout: TimeInterval = 60) {
    self.init(hub: hub, token: token, timeout: timeout, answerLimit: Self.maxAnswerBytes, sendsPlainPushes: PlainPushMemory())
  }

  /// A client held to a smaller answer limit (tests show the limit at work with it).
  init(hub: URL, token: String, timeout: TimeInterval = 60, answerLimit: Int) {
    self.init(hub: hub, token: token, timeout: timeout, answerLimit: answerLimit, sendsPlainPushes: PlainPushMemory())
  }

  private init(hub: URL, token: String, timeout: TimeInterval, answerLimit: Int, sendsPlainPushes: PlainPushMemory) {
    self.hub = hub
    self.token = token
    self.timeout = timeout
    self.answerLimit = answerLimit
    self.sendsPlainPushes = sendsPlainPushes
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    collector = BoundedAnswerCollector(limit: answerLimit)
    session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
  }

  /// The same client on a session (and so connections) of its own, which still remembers,
  /// with this one, whether the hub takes gzip-coded pushes.
  public func onFreshConnections() -> HubClient {
    HubClient(hub: hub, token: token, timeout: timeout, answerLimit: answerLimit, sendsPlainPushes: sendsPlainPushes)
  }

  public func whoami() async throws -> WhoAmI {
    try await send("GET", "v1/whoami")
  }

  public func push(_ changes: [Change]) async throws -> PushResult {
    let json = try JSONEncoder().encode(PushRequest(changes: changes))
    guard !sendsPlainPushes.isSet.withLock({ $0 }) else { return try await send("POST", "v1/push", body: json) }
    do {
      return try await send("POST", "v1/push", body: Data(Gzip.compress([UInt8](json))), contentEncoding: "gzip")
    } catch let refusal as HubRefusal where refusal.status == 415 {
      sendsPlainPushes.isSet.withLock { $0 = true }
      return try await send("POST", "v1/push", body: json)
    } catch let refusal as HubRefusal where refusal.status == 400 {
      // Only an accepted plain resend shows the 400 was about the coding, not the push.
      let result: PushResult = try await send("POST", "v1/push", body: json)
      sendsPlainPushes.isSet.withLock { $0 = true }
      return result
    }
  }

  /// The page after `cursor`. `stored` is the cursor the replica has stored, which tells the
  /// hub what it holds (compaction waits for it).
  public func pull(after cursor: UInt64, limit: Int, stored: UInt64) async throws -> PullPage {
    try await send(
      "GET", "v1/pull",
      query: [
        URLQueryItem(name: "after", value: String(cursor)), URLQueryItem(name: "limit", value: String(limit)),
        URLQueryItem(name: "stored", value: String(stored)),
      ])
  }

  /// Every edit of a record the hub holds, oldest first; a record the hub does not hold in
  /// this token's scope is a ``HubRefusal`` with status 404.
  public func history(of record: RecordID) async throws -> RecordHistoryPage {
    try await send("GET", "v1/records/\(record)/history")
  }

  private func send<Answer: Decodable>(
    _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, contentEncoding: String? = nil
  ) async throws -> Answer {
    var components = URLComponents(url: hub.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
    if !query.isEmpty { components.queryItems = query }
    var request = URLRequest(url: components.url!)
    request.httpMethod = method
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    request.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
    if let body {
      request.httpBody = body
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      if let contentEncoding { request.setValue(contentEncoding, forHTTPHeaderField: "Content-Encoding") }
    }
    var data: Data
    let statusCode: Int
    let answerEncoding: String?
    let isDecodedAlready: Bool
    if hub.scheme?.lowercased() == "http" {
      let exchange = PlainHTTPExchange(
        url: components.url!, method: method,
        headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json"), ("Accept-Encoding", "gzip")]
          + (body == nil ? [] : [("Content-Type", "application/json")])
          + (body == nil ? [] : contentEncoding.map { [("Content-Encoding", $0)] } ?? []),
        body: body, timeout: timeout, limit: answerLimit)
      do {
        let answer = try await exchange.run()
        (statusCode, answerEncoding, data) = (answer.status, answer.contentEncoding, answer.body)
        isDecodedAlready = false
      } catch let failure as PlainHTTPExchange.Failure {
        throw AgentError(.hubUnreachable, "cannot reach the hub at \(hub.absoluteString): \(failure.description)")
      }
    } else {
      let response: URLResponse
      do {
        (data, response) = try await collector.data(for: request, on: session)
      } catch let tooLarge as BoundedAnswerCollector.TooLarge {
        throw AgentError(
          .hubUnreachable, "the hub at \(hub.absoluteString) sent an answer larger than \(tooLarge.limit) bytes, more than any answer of the hub")
      } catch {
        let description = Self.describe(error)
        if description.contains("SSL certificate problem") || description.contains("certificate could not be verified") {
          // Not something a retry cures: say what to do instead.
          throw AgentError(
            .tlsUntrusted,
            "the hub at \(hub.absoluteString) presented a TLS certificate this machine does not trust (\(description)). If the bureau signs its certificates with its own CA, install that CA in the system trust store, which is what renkei uses: sudo cp bureau-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates")
        }
        throw AgentError(.hubUnreachable, "cannot reach the hub at \(hub.absoluteString): \(description)")
      }
      guard let http = response as? HTTPURLResponse else {
        throw AgentError(.hubUnreachable, "the hub at \(hub.absoluteString) gave no HTTP answer")
      }
      statusCode = http.statusCode
      answerEncoding = http.value(forHTTPHeaderField: "Content-Encoding")
      isDecodedAlready = true
    }
    data = try decodeContent(data, encoding: answerEncoding, isDecodedAlready: isDecodedAlready)
    let detail = try? JSONDecoder().decode(WireError.self, from: data).error
    switch statusCode {
    case 200..<300:
      do {
        return try CanonicalJSON.decode(Answer.self, from: data)
      } catch {
        throw AgentError(
          .hubUnreachable,
          "the server at \(hub.absoluteString) does not answer as a Renkei hub: its answer to \(path) cannot be read "
            + "(\(JSONProblem.describe(error))); is \(hub.absoluteString) the hub's address?")
      }
    case 401:
      throw AgentError(.tokenRefused, "the hub at \(hub.absoluteString) refused this replica's token: \(detail?.message ?? "401"). Ask the bureau for a new token (renkei-hub site token) and put it in place with renkei token --token-file FILE.")
    case 408, 429, 500..<600:
      throw AgentError(.hubUnreachable, "the hub at \(hub.absoluteString) answered \(statusCode): \(detail?.message ?? "try again later")")
    default:
      // Without Renkei's error object the answer came from another server (a wrong path, a
      // proxy with no hub behind it); its page says nothing staff can act on.
      let message =
        "the server at \(hub.absoluteString) does not answer as a Renkei hub (HTTP \(statusCode) to \(path)); is \(hub.absoluteString) the hub's address?"
      throw HubRefusal(status: statusCode, error: detail ?? .init(code: "status-\(statusCode)", message: message))
    }
  }

  /// The answer's content with its gzip coding removed.
  ///
  /// FoundationNetworking on Linux hands libcurl's already decoded content over while
  /// still reporting `Content-Encoding: gzip` (`isDecodedAlready`): that content is decoded
  /// again only if it still starts as gzip does, which JSON never can. The plain-HTTP path
  /// hands the bytes as sent, so there an answer labelled gzip must be gzip.
  private func decodeContent(_ data: Data, encoding: String?, isDecodedAlready: Bool) throws -> Data {
    let codings = (encoding ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
      .filter { !$0.isEmpty && $0 != "identity" }
    guard !codings.isEmpty else { return data }
    guard codings.allSatisfy({ $0 == "gzip" || $0 == "x-gzip" }) else {
      throw AgentError(
        .hubUnreachable, "the hub at \(hub.absoluteString) answered with a content coding renkei does not read: \(encoding ?? "")")
    }
    var content = [UInt8](data)
    for _ in codings {
      if isDecodedAlready && !content.starts(with: [Gzip.firstMagicByte, Gzip.secondMagicByte]) { break }
      do {
        content = try Gzip.decompress(content, limit: answerLimit)
      } catch {
        throw AgentError(.hubUnreachable, "the hub at \(hub.absoluteString) sent a gzip answer that cannot be read: \(error.message)")
      }
    }
    return Data(content)
  }

  private static func describe(_ error: any Error) -> String {
    if let error = error as? URLError {
      switch error.code {
      case .cannotConnectToHost: return "connection refused (is renkei-hub running?)"
      case .timedOut: return "timed out"
      case .cannotFindHost: return "unknown host"
      case .networkConnectionLost: return "the connection was cut"
      case .notConnectedToInternet: return "no network"
      case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .secureConnectionFailed:
        return "the hub's TLS certificate could not be verified (\(error.localizedDescription)); pass the bureau's CA with --ca-file"
      default: return error.localizedDescription
      }
    }
    return "\(error)"
  }
}
