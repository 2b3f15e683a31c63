import Foundation

/// The control protocol between `kioskctl` and `kioskd`: one JSON object per line over a Unix socket,
/// a request answered by one response. Versioned so an older kioskctl gets a clear refusal.
public enum ControlProtocol {
    public static let version = 1
    /// A request longer than this is refused without being parsed.
    public static let maximumRequestBytes = 64 * 1024
    public static let defaultSocketPath = "/run/kiosk/control.sock"
}

public struct ControlRequest: Codable, Sendable, Equatable {
    public var version: Int
    public var command: String
    public var arguments: [String: String]

    public init(command: String, arguments: [String: String] = [:]) {
        version = ControlProtocol.version
        self.command = command
        self.arguments = arguments
    }
}

public struct ControlError: Codable, Sendable, Equatable, Error {
    /// Stable, machine-readable: `malformed`, `too-large`, `unsupported-version`, `unknown-command`,
    /// `not-authorised`.
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

public struct ControlResponse: Codable, Sendable {
    public var version: Int
    public var ok: Bool
    public var status: KioskStatusReport?
    public var profile: ProfileCheckReport?
    public var queue: QueueReport?
    public var preview: PreviewReport?
    public var selfTest: [SelfTestLine]?
    public var outbox: OutboxReport?
    public var lookUp: LookUpReport?
    public var application: ApplicationFiledReport?
    /// The daemon's most recent log lines, oldest first (`kioskctl logs`).
    public var logs: [String]?
    public var volume: VolumeReport?
    /// How many delivered applications had their personal data wiped (`kioskctl outbox purge-delivered`).
    public var purged: Int?
    public var diagnostics: DiagnosticsReport?
    public var error: ControlError?

    public init(status: KioskStatusReport) {
        version = ControlProtocol.version
        ok = true
        self.status = status
    }

    public init(profile: ProfileCheckReport) {
        version = ControlProtocol.version
        ok = true
        self.profile = profile
    }

    public init(queue: QueueReport) {
        version = ControlProtocol.version
        ok = true
        self.queue = queue
    }

    public init(preview: PreviewReport) {
        version = ControlProtocol.version
        ok = true
        self.preview = preview
    }

    public init(selfTest: [SelfTestLine]) {
        version = ControlProtocol.version
        ok = true
        self.selfTest = selfTest
    }

    public init(outbox: OutboxReport) {
        version = ControlProtocol.version
        ok = true
        self.outbox = outbox
    }

    public init(lookUp: LookUpReport) {
        version = ControlProtocol.version
        ok = true
        self.lookUp = lookUp
    }

    public init(application: ApplicationFiledReport) {
        version = ControlProtocol.version
        ok = true
        self.application = application
    }

    public init(logs: [String]) {
        version = ControlProtocol.version
        ok = true
        self.logs = logs
    }

    public init(volume: VolumeReport) {
        version = ControlProtocol.version
        ok = true
        self.volume = volume
    }

    public init(purged: Int) {
        version = ControlProtocol.version
        ok = true
        self.purged = purged
    }

    public init(diagnostics: DiagnosticsReport) {
        version = ControlProtocol.version
        ok = true
        self.diagnostics = diagnostics
    }

    public init(error: ControlError) {
        version = ControlProtocol.version
        ok = false
        self.error = error
    }
}

/// What `kioskctl status` shows. Never holds personal data.
public struct KioskStatusReport: Codable, Sendable, Equatable {
    public struct Device: Codable, Sendable, Equatable {
        public var kind: String
        public var state: String
        public var paper: String?
        public var identity: String
        public var detail: String

        public init(kind: String, state: String, paper: String?, identity: String, detail: String) {
            self.kind = kind
            self.state = state
            self.paper = paper
            self.identity = identity
            self.detail = detail
        }
    }

    public var kioskID: String
    public var profilePath: String
    public var underMaintenance: Bool
    public var uptimeSeconds: Int
    public var version: String
    public var offering: [String]
    public var devices: [Device]
    /// Queue numbers issued since today's queue day began; nil when the ticket ledger is not open.
    public var ticketsIssuedToday: Int?
    /// The applications on their way to the portal; nil on a kiosk that takes none.
    public var outbox: OutboxLine?
    /// The Prometheus endpoint (`http://127.0.0.1:PORT/metrics`) when it is listening.
    public var metricsURL: String?
    /// Why the Prometheus endpoint the profile asks for is not listening.
    public var metricsUnavailable: String?

    /// The outbox at a glance (the details are `kioskctl outbox`).
    public struct OutboxLine: Codable, Sendable, Equatable {
        /// Why applications are not taken, when they are not (no key, unwritable folder…).
        public var unavailable: String?
        public var pending: Int
        public var refused: Int
        /// How long the oldest pending application has waited, in seconds.
        public var oldestPendingAgeSeconds: Int?
        /// When the portal last answered anything, ISO 8601 in the kiosk's time zone; nil since start.
        public var lastPortalAnswerAt: String?
        public var lastError: String?

        public init(unavailable: String?, pending: Int, refused: Int, oldestPendingAgeSeconds: Int?, lastPortalAnswerAt: String?,
                    lastError: String?) {
            self.unavailable = unavailable
            self.pending = pending
            self.refused = refused
            self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
            self.lastPortalAnswerAt = lastPortalAnswerAt
            self.lastError = lastError
        }
    }

    public init(kioskID: String, profilePath: String, underMaintenance: Bool, uptimeSeconds: Int, version: String,
                offering: [String], devices: [Device], ticketsIssuedToday: Int? = nil, outbox: OutboxLine? = nil,
                metricsURL: String? = nil, metricsUnavailable: String? = nil) {
        self.metricsURL = metricsURL
        self.metricsUnavailable = metricsUnavailable
        self.kioskID = kioskID
        self.profilePath = profilePath
        self.underMaintenance = underMaintenance
        self.uptimeSeconds = uptimeSeconds
        self.version = version
        self.offering = offering
        self.devices = devices
        self.ticketsIssuedToday = ticketsIssuedToday
        self.outbox = outbox
    }
}

/// The outcome of `kioskctl profile check` or `profile reload`.
public struct ProfileCheckReport: Codable, Sendable, Equatable {
    public var path: String
    /// For a check: the file is valid. For a reload: the new profile is in force.
    public var accepted: Bool
    /// `path:line:column: what is wrong; what was expected`, every problem found.
    public var diagnostics: [String]

    public init(path: String, accepted: Bool, diagnostics: [String]) {
        self.path = path
        self.accepted = accepted
        self.diagnostics = diagnostics
    }
}

/// The queue numbers of one numbering day (`kioskctl queue today`), or the one just issued
/// (`kioskctl queue issue`). Tickets are anonymous: nothing here is personal data.
public struct QueueReport: Codable, Sendable, Equatable {
    public struct Ticket: Codable, Sendable, Equatable {
        public var number: String
        public var service: String
        public var lane: String
        public var priorityClass: String?
        /// `issued` (printer's answer pending), `printed` or `void`.
        public var state: String
        public var voidReason: String?
        public var issuedAt: String
        public var prints: Int
        /// The numbering round of the day: 1, then 2… after each `kioskctl queue reset` of the service.
        public var round: Int?

        public init(number: String, service: String, lane: String, priorityClass: String?, state: String, voidReason: String?,
                    issuedAt: String, prints: Int, round: Int? = nil) {
            self.round = round
            self.number = number
            self.service = service
            self.lane = lane
            self.priorityClass = priorityClass
            self.state = state
            self.voidReason = voidReason
            self.issuedAt = issuedAt
            self.prints = prints
        }
    }

    /// The numbering day, `YYYY-MM-DD` (it starts at the profile's `queue.day_starts_at`).
    public var day: String
    public var tickets: [Ticket]
    /// After `queue reset`: the round each reset service is now in.
    public var rounds: [String: Int]?

    public init(day: String, tickets: [Ticket]) {
        self.day = day
        self.tickets = tickets
    }
}

/// A sample ticket or receipt as the kiosk would print it (`kioskctl preview`). The bytes travel in
/// the answer and kioskctl writes the file, so the daemon never writes where a technician points.
public struct PreviewReport: Codable, Sendable, Equatable {
    /// `ticket` or `receipt`.
    public var kind: String
    /// `image/png` or `application/pdf`.
    public var mediaType: String
    public var base64: String

    public init(kind: String, mediaType: String, base64: String) {
        self.kind = kind
        self.mediaType = mediaType
        self.base64 = base64
    }
}

/// One device's self-test: what was tried and how it went.
public struct SelfTestLine: Codable, Sendable, Equatable {
    public var device: String
    public var passed: Bool
    public var detail: String

    public init(device: String, passed: Bool, detail: String) {
        self.device = device
        self.passed = passed
        self.detail = detail
    }
}

/// The applications waiting for the portal and the latest ones (`kioskctl outbox`). Codes, states,
/// counts and technical errors only: the personal data stays sealed in the outbox.
public struct OutboxReport: Codable, Sendable, Equatable {
    public struct Application: Codable, Sendable, Equatable {
        public var code: String
        public var procedure: String
        /// `pending`, `delivered` or `refused`.
        public var state: String
        public var acceptedAt: String
        public var attempts: Int
        public var nextAttemptAt: String?
        public var lastError: String?
        public var portalCode: String?
        public var portalStatus: String?
        public var wiped: Bool
        public var pages: Int
        public var bytes: Int

        public init(code: String, procedure: String, state: String, acceptedAt: String, attempts: Int, nextAttemptAt: String?,
                    lastError: String?, portalCode: String?, portalStatus: String?, wiped: Bool, pages: Int, bytes: Int) {
            self.code = code
            self.procedure = procedure
            self.state = state
            self.acceptedAt = acceptedAt
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastError = lastError
            self.portalCode = portalCode
            self.portalStatus = portalStatus
            self.wiped = wiped
            self.pages = pages
            self.bytes = bytes
        }
    }

    /// Why applications cannot be taken, when they cannot (no key, unwritable folder…).
    public var unavailable: String?
    public var pending: Int
    public var delivered: Int
    public var refused: Int
    public var wiped: Int
    public var oldestPendingAcceptedAt: String?
    public var lastError: String?
    public var applications: [Application]

    public init(unavailable: String?, pending: Int, delivered: Int, refused: Int, wiped: Int, oldestPendingAcceptedAt: String?,
                lastError: String?, applications: [Application]) {
        self.unavailable = unavailable
        self.pending = pending
        self.delivered = delivered
        self.refused = refused
        self.wiped = wiped
        self.oldestPendingAcceptedAt = oldestPendingAcceptedAt
        self.lastError = lastError
        self.applications = applications
    }
}

/// Where one application stands, as a citizen at the kiosk would be told (`kioskctl lookup`).
public struct LookUpReport: Codable, Sendable, Equatable {
    public var code: String
    /// `status`, `waiting-to-be-sent`, `not-found` or `cannot-check-now`.
    public var answer: String
    public var status: String?
    public var note: String?
    /// False when the portal could not be asked and this is the last status the kiosk heard.
    public var current: Bool?
    public var asOf: String?

    public init(code: String, answer: String, status: String?, note: String?, current: Bool?, asOf: String?) {
        self.code = code
        self.answer = answer
        self.status = status
        self.note = note
        self.current = current
        self.asOf = asOf
    }
}

/// An application filed on the control socket (`application-file`): the code its receipt carries
/// and whether the receipt came out. Never holds the applicant's data.
public struct ApplicationFiledReport: Codable, Sendable, Equatable {
    /// The kiosk's application code, 16 digits.
    public var code: String
    /// `printed`, or why not (`media-empty`, `offline`, …): the application is recorded either way.
    public var receipt: String

    public init(code: String, receipt: String) {
        self.code = code
        self.receipt = receipt
    }
}

/// The volume each citizen's session starts at (`kioskctl volume`). The citizen's own volume keys
/// still work; their choice ends with their session.
public struct VolumeReport: Codable, Sendable, Equatable {
    public var startingVolume: Int
    /// The profile's `default_volume`.
    public var profileVolume: Int
    /// True when a technician set the starting volume (kept across restarts), false when it is the profile's.
    public var setByTechnician: Bool
    /// True when the kiosk was idle and the new volume was applied (and spoken) at once; false when a
    /// citizen is being served and it applies from the next session.
    public var appliedNow: Bool

    public init(startingVolume: Int, profileVolume: Int, setByTechnician: Bool, appliedNow: Bool) {
        self.startingVolume = startingVolume
        self.profileVolume = profileVolume
        self.setByTechnician = setByTechnician
        self.appliedNow = appliedNow
    }
}

/// What `kioskctl diagnostics` archives for a support engineer: nothing personal (the status, the
/// profile with anything secret-looking withheld, the recent log, the outbox by code only).
public struct DiagnosticsReport: Codable, Sendable {
    public var collectedAt: String
    public var status: KioskStatusReport
    public var profilePath: String
    /// The profile file's text with the values of keys naming keys, secrets, passwords, tokens or
    /// credentials replaced; or why it could not be read.
    public var profileWithoutSecrets: String
    public var logs: [String]
    public var outbox: OutboxReport?

    public init(collectedAt: String, status: KioskStatusReport, profilePath: String, profileWithoutSecrets: String, logs: [String],
                outbox: OutboxReport?) {
        self.collectedAt = collectedAt
        self.status = status
        self.profilePath = profilePath
        self.profileWithoutSecrets = profileWithoutSecrets
        self.logs = logs
        self.outbox = outbox
    }
}
