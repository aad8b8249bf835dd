import Foundation
import RenkeiCore

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
public struct HubClient: Sendable {
  public let hub: URL
  private let token: String
  private let session: URLSession
  private let timeout: TimeInterval

  public init(hub: URL, token: String, timeout: TimeInterval = 60) {
    self.hub = hub
    self.token = token
    self.timeout = timeout
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    session = URLSession(configuration: configuration)
  }

  public func whoami() async throws -> WhoAmI {
    try await send("GET", "v1/whoami")
  }

  public func push(_ changes: [Change]) async throws -> PushResult {
    try await send("POST", "v1/push", body: try JSONEncoder().encode(PushRequest(changes: changes)))
  }

  public func pull(after cursor: UInt64, limit: Int) async throws -> PullPage {
    try await send("GET", "v1/pull", query: [URLQueryItem(name: "after", value: String(cursor)), URLQueryItem(name: "limit", value: String(limit))])
  }

  private func send<Answer: Decodable>(_ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil) async throws -> Answer {
    var components = URLComponents(url: hub.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
    if !query.isEmpty { components.queryItems = query }
    var request = URLRequest(url: components.url!)
    request.httpMethod = method
    request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    request.setValue("application/json", forHTTPHeaderField: "Accept")
    if let body {
      request.httpBody = body
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let data: Data
    let statusCode: Int
    if hub.scheme?.lowercased() == "http" {
      let exchange = PlainHTTPExchange(
        url: components.url!, method: method,
        headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
          + (body == nil ? [] : [("Content-Type", "application/json")]),
        body: body, timeout: timeout)
      do {
        (statusCode, data) = try await exchange.run()
      } catch let failure as PlainHTTPExchange.Failure {
        throw AgentError(.hubUnreachable, "cannot reach the hub at \(hub.absoluteString): \(failure.description)")
      }
    } else {
      let response: URLResponse
      do {
        (data, response) = try await session.data(for: request)
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
    }
    let detail = try? JSONDecoder().decode(WireError.self, from: data).error
    switch statusCode {
    case 200..<300:
      do {
        return try CanonicalJSON.decode(Answer.self, from: data)
      } catch {
        throw AgentError(.hubUnreachable, "the hub at \(hub.absoluteString) answered \(path) with something this agent cannot read: \(error)")
      }
    case 401:
      throw AgentError(.tokenRefused, "the hub at \(hub.absoluteString) refused this replica's token: \(detail?.message ?? "401"). Ask the bureau for a new token.")
    case 408, 429, 500..<600:
      throw AgentError(.hubUnreachable, "the hub at \(hub.absoluteString) answered \(statusCode): \(detail?.message ?? "try again later")")
    default:
      throw HubRefusal(status: statusCode, error: detail ?? .init(code: "status-\(statusCode)", message: String(decoding: data.prefix(300), as: UTF8.self)))
    }
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
