import Foundation
import KioskCore
import PortalAPI

/// What the kiosk collected from a citizen, ready to be recorded. Personal data: it is sealed before
/// it reaches the disk and never logged.
public struct ApplicationIntake: Sendable {
    public var procedureCode: String
    public var applicant: ApplicationSubmission.Applicant
    public var delivery: ApplicationSubmission.Delivery
    public var attachments: [Attachment]

    public init(procedureCode: String, applicant: ApplicationSubmission.Applicant, delivery: ApplicationSubmission.Delivery,
                attachments: [Attachment]) {
        self.procedureCode = procedureCode
        self.applicant = applicant
        self.delivery = delivery
        self.attachments = attachments
    }

    public struct Attachment: Sendable {
        public var fileName: String
        public var mediaType: String
        public var content: Data

        public init(fileName: String, mediaType: String, content: Data) {
            self.fileName = fileName
            self.mediaType = mediaType
            self.content = content
        }
    }
}

/// An application the outbox has durably recorded: what the receipt prints.
public struct AcceptedApplication: Sendable, Equatable {
    public var code: ApplicationCode
    public var acceptedAt: Date
    public var attachmentCount: Int
}

/// Where a recorded application is on its way to the portal.
public enum OutboxState: String, Sendable, Codable, CaseIterable {
    /// Recorded, not yet confirmed by the portal: the forwarder keeps trying.
    case pending
    /// The portal confirmed it and gave its own code.
    case delivered
    /// The portal refused it for good (400/422): kept for a technician, never retried on its own.
    case refused
}

/// One application as the outbox knows it, without its personal data (safe to show a technician).
public struct OutboxEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var kioskCode: String
    public var idempotencyKey: String
    public var procedureCode: String
    public var acceptedAt: Date
    public var state: OutboxState
    public var attempts: Int
    public var nextAttemptAt: Date?
    /// The last failure, technical (HTTP status, problem title, connection error): no personal data.
    public var lastError: String?
    public var portalCode: String?
    public var portalStatus: PortalStatus?
    public var statusNote: String?
    public var statusUpdatedAt: Date?
    public var deliveredAt: Date?
    /// When the personal data and pages were wiped after the retention period.
    public var wipedAt: Date?
    public var attachmentCount: Int
    public var attachmentBytes: Int
}

/// Counts a technician (and the metrics) read: how much is waiting and since when.
public struct OutboxSummary: Sendable, Equatable, Codable {
    public var pending: Int
    public var delivered: Int
    public var refused: Int
    public var wiped: Int
    public var oldestPendingAcceptedAt: Date?
    public var lastError: String?
}
