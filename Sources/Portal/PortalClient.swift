import AsyncHTTPClient
import Foundation
import KioskCore
import NIOCore
import NIOSSL
import PortalAPI
import Synchronization

/// What the portal said to one attempt at filing an application.
public enum FilingOutcome: Sendable, Equatable {
    /// Filed: the first answer, or the stored first answer replayed for a retry.
    case filed(ApplicationStatusReport, replayed: Bool)
    /// The portal is still processing an earlier attempt with the same key (409).
    case inFlight
    /// Worth trying again later: a 5xx, a 429, a timeout, no connection. `retryAfter` is the
    /// portal's own `Retry-After`, when it gave one.
    case retryLater(reason: String, retryAfter: TimeInterval?)
    /// Refused for good (400, 422, another 4xx): retrying the same payload cannot help.
    case refused(reason: String)
}

/// The kiosk's HTTP(S) client for the national portal adapter (docs/portal-adapter.openapi.yaml):
/// AsyncHTTPClient with the profile's CA and client certificate, one connection pool for the
/// forwarder and look-ups. Nothing personal is ever put in an error it reports.
public final class PortalClient: Sendable {
    private let client: HTTPClient
    /// The base address with a trailing slash, such as `https://adapter.example/api/v1/`.
    private let base: String
    private let requestTimeout: TimeAmount
    /// The profile's timeouts, named when an attempt runs out of them.
    private let connectTimeoutSeconds: Int
    private let readTimeoutSeconds: Int

    private let lastAnswer = Mutex<Date?>(nil)

    /// When the portal last answered anything (an error answer too): a technician's sign that the
    /// link works, whatever the portal thought of the request. Nil until it has answered once.
    public var lastAnsweredAt: Date? { lastAnswer.withLock { $0 } }

    /// Biggest answer body read: answers are small JSON documents.
    static let maximumAnswerBytes = 1 << 20

    public init(settings: PortalSettings, maximumConnections: Int = 4) throws(OutboxError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = settings.caFile {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            if let certificate = settings.clientCertificate, let key = settings.clientKey {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw OutboxError(.key, "portal TLS material (ca_file, client_certificate, client_key): \(error)")
        }
        let timeout = HTTPClient.Configuration.Timeout(connect: .seconds(Int64(settings.connectTimeoutSeconds)),
                                                       read: .seconds(Int64(settings.requestTimeoutSeconds)))
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: timeout)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: maximumConnections)
        // A link that is down must fail the attempt within the connect timeout, so the forwarder's
        // own backoff (not the pool's) decides when to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let address = settings.baseURL.absoluteString
        base = address.hasSuffix("/") ? address : address + "/"
        requestTimeout = .seconds(Int64(settings.connectTimeoutSeconds + settings.requestTimeoutSeconds))
        connectTimeoutSeconds = settings.connectTimeoutSeconds
        readTimeoutSeconds = settings.requestTimeoutSeconds
    }

    /// Files one application: `body` is the exact payload, `idempotencyKey` the same on every attempt.
    public func file(body: Data, idempotencyKey: String) async -> FilingOutcome {
        var request = HTTPClientRequest(url: base + PortalWire.applicationsPath)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, \(PortalWire.problemMediaType)")
        request.headers.add(name: PortalWire.idempotencyKeyHeader, value: idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let answer: Data
        do {
            response = try await client.execute(request, timeout: requestTimeout)
            answer = Data((try await response.body.collect(upTo: Self.maximumAnswerBytes)).readableBytesView)
            lastAnswer.withLock { $0 = Date() }
        } catch {
            return .retryLater(reason: "no answer: \(describe(error))", retryAfter: nil)
        }
        let code = Int(response.status.code)
        switch code {
        case 200, 201:
            guard let report = try? JSONDecoder().decode(ApplicationStatusReport.self, from: answer) else {
                return .retryLater(reason: "HTTP \(code) with an unreadable body", retryAfter: nil)
            }
            return .filed(report, replayed: response.headers.first(name: PortalWire.replayedHeader) == "true")
        case 409:
            return .inFlight
        case 408, 425, 429, 500...599:
            return .retryLater(reason: Self.reason(code, answer), retryAfter: Self.retryAfter(response.headers.first(name: "Retry-After")))
        default:
            return .refused(reason: Self.reason(code, answer))
        }
    }

    /// Where the application with this portal or kiosk code stands; nil when the portal does not know
    /// it. Throws a technical reason when the portal could not be asked.
    public func status(code: String, timeout: TimeInterval) async throws(OutboxError) -> ApplicationStatusReport? {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._"))
        guard let escaped = code.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
        var request = HTTPClientRequest(url: base + PortalWire.applicationsPath + "/" + escaped)
        request.headers.add(name: "Accept", value: "application/json, \(PortalWire.problemMediaType)")
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let answer = Data((try await response.body.collect(upTo: Self.maximumAnswerBytes)).readableBytesView)
            lastAnswer.withLock { $0 = Date() }
            switch response.status.code {
            case 200:
                guard let report = try? JSONDecoder().decode(ApplicationStatusReport.self, from: answer) else {
                    throw OutboxError(.unreachable, "status answer unreadable")
                }
                return report
            case 404:
                return nil
            default:
                throw OutboxError(.unreachable, Self.reason(Int(response.status.code), answer))
            }
        } catch let error as OutboxError {
            throw error
        } catch {
            throw OutboxError(.unreachable, "no answer: \(describe(error))")
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// `HTTP 503 Service Unavailable: <problem title>`: the portal's problem title and status only,
    /// never its detail, which could quote what was sent.
    static func reason(_ code: Int, _ answer: Data) -> String {
        let title = (try? JSONDecoder().decode(PortalProblem.self, from: answer))?.title
        return "HTTP \(code)" + (title.map { ": \($0)" } ?? "")
    }

    /// Retry-After in seconds (RFC 9110 also allows an HTTP date).
    static func retryAfter(_ value: String?) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return TimeInterval(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// A transport failure in words a technician can act on. TLS failures are named for what is
    /// wrong (whose certificate, and what to check), not only BoringSSL's code, which follows in
    /// brackets; none of it comes from what was sent.
    func describe(_ error: any Error) -> String {
        if let reason = Self.tlsReason(error) { return reason }
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout:
                return "the portal did not answer within \(readTimeoutSeconds) s (request_timeout_seconds)"
            case .deadlineExceeded:
                return "the portal did not answer within \(connectTimeoutSeconds + readTimeoutSeconds) s"
                    + " (connect_timeout_seconds + request_timeout_seconds)"
            case .connectTimeout:
                return "no connection to the portal within \(connectTimeoutSeconds) s (connect_timeout_seconds)"
            case .remoteConnectionClosed:
                return "the portal closed the connection without answering"
            default:
                return "\(error)"
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNRESET: return "the portal closed the connection without answering (reset)"
            case ECONNREFUSED: return "the portal refused the connection (nothing listens at base_url)"
            default: break
            }
        }
        return String(describing: error)
    }

    /// The reason of a failed TLS handshake, or nil when `error` is something else.
    static func tlsReason(_ error: any Error) -> String? {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "TLS: the portal's certificate does not name the host of base_url"
        }
        // A failure of the kiosk's own check comes as a failed handshake. Under TLS 1.3 the server
        // checks the client certificate after the client has finished its side of the handshake,
        // so the server's alert arrives with the first read, as a bare BoringSSL error.
        let code: String
        if let error = error as? NIOSSLError, case .handshakeFailed(let cause) = error {
            code = "\(cause)"
        } else if let error = error as? BoringSSLError {
            code = "\(error)"
        } else {
            return nil
        }
        // The client's own check of the server's chain against ca_file.
        if code.contains("CERTIFICATE_VERIFY_FAILED") {
            return "TLS: the portal's certificate was not trusted: it does not chain to the profile's ca_file, or has expired"
                + " [CERTIFICATE_VERIFY_FAILED]"
        }
        // Alerts the server sends when it does not accept the kiosk's client certificate.
        for alert in ["ALERT_UNKNOWN_CA", "ALERT_BAD_CERTIFICATE", "ALERT_CERTIFICATE_REQUIRED", "ALERT_CERTIFICATE_UNKNOWN",
                      "ALERT_CERTIFICATE_EXPIRED", "ALERT_HANDSHAKE_FAILURE"] where code.contains(alert) {
            return "TLS: the portal did not accept this kiosk's client certificate (client_certificate, client_key) [\(alert)]"
        }
        return "TLS handshake with the portal failed: \(code)"
    }
}
