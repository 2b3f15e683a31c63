import Foundation

/// The admin API of `portal-sim` (`/_sim/...`), outside the portal's contract: what a test or a
/// demo changes at run time (faults, an application's status) and reads back (what was stored, how
/// requests ended). Shared by `portal-sim` and the test harness that drives it. No personal data
/// ever appears in these types: the simulator's admin answers are safe to print in a test log.
public enum PortalSimAdmin {
    /// The admin API's root, beside (not under) the contract's `/api/v1`.
    public static let rootPath = "_sim"
}

/// The faults `portal-sim` injects into the contract's requests. Rates are fractions of POST
/// requests, from 0 (never) to 1 (always); each POST rolls the seeded dice once per fault.
public struct PortalSimFaults: Codable, Sendable, Equatable {
    /// Fraction of POSTs answered 500 without storing anything.
    public var errorRate: Double
    /// Milliseconds added before answering a POST (the first request of a key stays in flight meanwhile).
    public var latencyMilliseconds: Int
    /// Fraction of POSTs whose connection is closed (reset) without an answer, nothing stored.
    public var resetRate: Double
    /// Fraction of POSTs that store the application and then answer 500: the answer is lost, the
    /// application is not, so the client's retry with the same key must get the stored 201.
    public var errorAfterCommitRate: Double
    /// Fraction of POSTs answered 503 with `Retry-After: retryAfterSeconds`, nothing stored.
    public var unavailableRate: Double
    /// The `Retry-After` the 503s of `unavailableRate` carry, in seconds.
    public var retryAfterSeconds: Int
    /// The whole adapter is down: every contract request (GET too) is answered 503 without Retry-After.
    public var down: Bool
    /// New applications are held in flight, before they are stored, until this is set back to
    /// false: a portal stuck mid-processing for as long as a test needs, whatever the machine's load
    /// (a latency would run out on its own). Repeats meanwhile get 409, as with any request in flight.
    public var holdFiling: Bool

    public init(errorRate: Double = 0, latencyMilliseconds: Int = 0, resetRate: Double = 0, errorAfterCommitRate: Double = 0,
                unavailableRate: Double = 0, retryAfterSeconds: Int = 1, down: Bool = false, holdFiling: Bool = false) {
        self.errorRate = errorRate
        self.latencyMilliseconds = latencyMilliseconds
        self.resetRate = resetRate
        self.errorAfterCommitRate = errorAfterCommitRate
        self.unavailableRate = unavailableRate
        self.retryAfterSeconds = retryAfterSeconds
        self.down = down
        self.holdFiling = holdFiling
    }

    /// No faults at all: the adapter on a good day.
    public static let none = PortalSimFaults()

    /// What is wrong with these settings, or nil when they are usable (rates within 0…1, no negative times).
    public var problem: String? {
        let rates = [("errorRate", errorRate), ("resetRate", resetRate), ("errorAfterCommitRate", errorAfterCommitRate),
                     ("unavailableRate", unavailableRate)]
        for (name, rate) in rates where !(0...1).contains(rate) {
            return "\(name) must be between 0 and 1, got \(rate)"
        }
        if latencyMilliseconds < 0 { return "latencyMilliseconds must not be negative" }
        if retryAfterSeconds < 0 { return "retryAfterSeconds must not be negative" }
        return nil
    }
}

/// A change to some of the fault settings (`PUT /_sim/faults`): fields left out keep their value.
public struct PortalSimFaultsChange: Codable, Sendable, Equatable {
    public var errorRate: Double?
    public var latencyMilliseconds: Int?
    public var resetRate: Double?
    public var errorAfterCommitRate: Double?
    public var unavailableRate: Double?
    public var retryAfterSeconds: Int?
    public var down: Bool?
    public var holdFiling: Bool?

    public init(errorRate: Double? = nil, latencyMilliseconds: Int? = nil, resetRate: Double? = nil,
                errorAfterCommitRate: Double? = nil, unavailableRate: Double? = nil, retryAfterSeconds: Int? = nil,
                down: Bool? = nil, holdFiling: Bool? = nil) {
        self.errorRate = errorRate
        self.latencyMilliseconds = latencyMilliseconds
        self.resetRate = resetRate
        self.errorAfterCommitRate = errorAfterCommitRate
        self.unavailableRate = unavailableRate
        self.retryAfterSeconds = retryAfterSeconds
        self.down = down
        self.holdFiling = holdFiling
    }

    /// The change that sets every field to the value in `faults`.
    public init(_ faults: PortalSimFaults) {
        self.init(errorRate: faults.errorRate, latencyMilliseconds: faults.latencyMilliseconds, resetRate: faults.resetRate,
                  errorAfterCommitRate: faults.errorAfterCommitRate, unavailableRate: faults.unavailableRate,
                  retryAfterSeconds: faults.retryAfterSeconds, down: faults.down, holdFiling: faults.holdFiling)
    }

    /// `faults` with this change made.
    public func applied(to faults: PortalSimFaults) -> PortalSimFaults {
        var result = faults
        if let errorRate { result.errorRate = errorRate }
        if let latencyMilliseconds { result.latencyMilliseconds = latencyMilliseconds }
        if let resetRate { result.resetRate = resetRate }
        if let errorAfterCommitRate { result.errorAfterCommitRate = errorAfterCommitRate }
        if let unavailableRate { result.unavailableRate = unavailableRate }
        if let retryAfterSeconds { result.retryAfterSeconds = retryAfterSeconds }
        if let down { result.down = down }
        if let holdFiling { result.holdFiling = holdFiling }
        return result
    }
}

/// One stored application as the admin API lists it (`GET /_sim/applications`): identifiers and
/// counts only, never the applicant's data.
public struct PortalSimApplication: Codable, Sendable, Equatable {
    public var portalCode: String
    public var kioskCode: String
    public var idempotencyKey: String
    /// Lowercase hex SHA-256 of the request body that filed it (the idempotency fingerprint).
    public var fingerprint: String
    /// When it was filed, ISO 8601.
    public var filedAt: String
    public var attachmentCount: Int
    /// How many POST requests carried this application's idempotency key, retries and replays
    /// included: a client that files exactly once may still send many times.
    public var postRequests: Int
    /// Its status now.
    public var status: PortalStatus

    public init(portalCode: String, kioskCode: String, idempotencyKey: String, fingerprint: String, filedAt: String,
                attachmentCount: Int, postRequests: Int, status: PortalStatus) {
        self.portalCode = portalCode
        self.kioskCode = kioskCode
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.filedAt = filedAt
        self.attachmentCount = attachmentCount
        self.postRequests = postRequests
        self.status = status
    }
}

/// A status set by hand (`PUT /_sim/applications/{code}/status`), as an office clerk would: it
/// stays until the next override, whatever the clock-driven progression says.
public struct PortalSimStatusOverride: Codable, Sendable, Equatable {
    public var status: PortalStatus
    /// What the citizen must do, e.g. which document is missing.
    public var note: String?

    public init(status: PortalStatus, note: String? = nil) {
        self.status = status
        self.note = note
    }
}

/// How the contract's requests ended since `portal-sim` started (`GET /_sim/stats`).
public struct PortalSimStats: Codable, Sendable, Equatable {
    /// POSTs that filed a new application and were answered 201.
    public var created: Int = 0
    /// POSTs answered with a stored 201 (`Idempotent-Replayed: true`).
    public var replayed: Int = 0
    /// POSTs answered 409: the first request with their key was still in flight.
    public var conflict409: Int = 0
    /// POSTs answered 422: their key was used for another payload, or their kiosk code was already filed.
    public var mismatch422: Int = 0
    /// Requests answered 400: no idempotency key, or a body that is not a valid submission.
    public var invalid400: Int = 0
    /// POSTs answered 500 by the error-rate fault, nothing stored.
    public var injected500: Int = 0
    /// POSTs that stored the application and were then answered 500 by the fault.
    public var injected500AfterCommit: Int = 0
    /// POSTs answered 503 with Retry-After by the fault.
    public var injected503: Int = 0
    /// Contract requests answered 503 because the adapter was set `down`.
    public var down503: Int = 0
    /// POSTs whose connection was closed without an answer.
    public var resets: Int = 0
    /// Status look-ups answered 200.
    public var lookedUp: Int = 0
    /// Status look-ups for a code nobody filed.
    public var notFound404: Int = 0
    /// POSTs being processed right now (their key is in flight).
    public var inFlight: Int = 0

    public init() {}
}

/// One contract request as `portal-sim` saw it (`GET /_sim/requests`, oldest first): when it
/// arrived, when it was answered and how it ended. Identifiers only, never anything from the body
/// but the kiosk code. What a test reads to check how a client behaved on the wire, e.g. that it
/// waited for `Retry-After` between two requests with one key.
public struct PortalSimRequest: Codable, Sendable, Equatable {
    /// `POST`, `GET`…
    public var method: String
    /// The path asked for, with the contract's prefix (`/api/v1/applications`).
    public var path: String
    /// The `Idempotency-Key` header, when the request had one.
    public var idempotencyKey: String?
    /// The kiosk code of the submission (POST) or of the application looked up, when known.
    public var kioskCode: String?
    /// The HTTP status answered; nil when the connection was reset without an answer.
    public var status: Int?
    /// How it ended, as `/_sim/stats` counts it (`created`, `replayed`, `conflict409`, `injected503`, `reset`…).
    public var outcome: String?
    /// When the request's head arrived, ISO 8601 in UTC with milliseconds.
    public var receivedAt: String
    /// When its answer was handed to the server (or its connection reset), ISO 8601 in UTC with milliseconds.
    public var answeredAt: String

    public init(method: String, path: String, idempotencyKey: String?, kioskCode: String?, status: Int?, outcome: String?,
                receivedAt: String, answeredAt: String) {
        self.method = method
        self.path = path
        self.idempotencyKey = idempotencyKey
        self.kioskCode = kioskCode
        self.status = status
        self.outcome = outcome
        self.receivedAt = receivedAt
        self.answeredAt = answeredAt
    }

    /// The wire form of `receivedAt` and `answeredAt`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `receivedAt` as a date (nil only if the simulator wrote something else).
    public var receivedDate: Date? { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(receivedAt) }

    /// `answeredAt` as a date.
    public var answeredDate: Date? { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(answeredAt) }
}
