import Foundation

/// The national portal adapter's API as both ends speak it: the kiosk's forwarder and `portal-sim`.
/// `docs/portal-adapter.openapi.yaml` is the written contract; these types follow it field for field.
/// JSON only, UTF-8, dates and times as ISO 8601 strings in the sender's offset, so a body encoded
/// twice from the same application is byte-for-byte the same (the idempotency check compares it).
public enum PortalWire {
    /// Where applications are filed: `POST {base}/applications`.
    public static let applicationsPath = "applications"
    /// The IETF httpapi Idempotency-Key header: one key per application, kept for every retry.
    public static let idempotencyKeyHeader = "Idempotency-Key"
    /// Set on an answer replayed for a repeated request (the first answer, stored).
    public static let replayedHeader = "Idempotent-Replayed"
    public static let problemMediaType = "application/problem+json"

    /// The encoder every sender uses: sorted keys, no escaping of `/`, so the payload is stable.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// One application as the kiosk files it. Personal data throughout: it travels over TLS only and
/// is never logged by either end.
public struct ApplicationSubmission: Codable, Sendable, Equatable {
    /// The kiosk's own code for the application, printed on the citizen's receipt (digits only).
    public var kioskCode: String
    public var kioskID: String
    /// National procedure code, such as `1.001193`.
    public var procedureCode: String
    /// When the kiosk accepted it, ISO 8601 with offset.
    public var submittedAt: String
    public var applicant: Applicant
    public var delivery: Delivery
    public var attachments: [Attachment]

    public init(kioskCode: String, kioskID: String, procedureCode: String, submittedAt: String, applicant: Applicant,
                delivery: Delivery, attachments: [Attachment]) {
        self.kioskCode = kioskCode
        self.kioskID = kioskID
        self.procedureCode = procedureCode
        self.submittedAt = submittedAt
        self.applicant = applicant
        self.delivery = delivery
        self.attachments = attachments
    }

    public struct Applicant: Codable, Sendable, Equatable {
        /// 12-digit citizen identity number.
        public var citizenID: String
        public var fullName: String?
        /// `yyyy-MM-dd`.
        public var dateOfBirth: String?
        public var gender: String?
        public var phone: String?
        public var address: String?

        public init(citizenID: String, fullName: String? = nil, dateOfBirth: String? = nil, gender: String? = nil,
                    phone: String? = nil, address: String? = nil) {
            self.citizenID = citizenID
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.gender = gender
            self.phone = phone
            self.address = address
        }
    }

    public struct Delivery: Codable, Sendable, Equatable {
        /// `counter` or `post`.
        public var method: String
        /// The postal address for `post`.
        public var address: String?

        public init(method: String, address: String? = nil) {
            self.method = method
            self.address = address
        }
    }

    public struct Attachment: Codable, Sendable, Equatable {
        public var fileName: String
        public var mediaType: String
        /// Lowercase hex SHA-256 of the decoded content: the portal checks it.
        public var sha256: String
        public var contentBase64: String

        public init(fileName: String, mediaType: String, sha256: String, contentBase64: String) {
            self.fileName = fileName
            self.mediaType = mediaType
            self.sha256 = sha256
            self.contentBase64 = contentBase64
        }
    }
}

/// Where an application stands, in the portal's words.
public enum PortalStatus: String, Codable, Sendable, CaseIterable {
    case received
    case inProcess = "in_process"
    case needsMoreDocuments = "needs_more_documents"
    case resultReady = "result_ready"
    case delivered
}

/// The portal's answer about one application: on filing (201, or the stored answer replayed) and on
/// `GET {base}/applications/{code}`, where the code is the portal's or the kiosk's.
public struct ApplicationStatusReport: Codable, Sendable, Equatable {
    /// The portal's own code for the application.
    public var portalCode: String
    public var kioskCode: String
    public var status: PortalStatus
    /// When the status last changed, ISO 8601.
    public var updatedAt: String
    /// What the citizen must do, when the status asks something of them (free text from the office).
    public var note: String?

    public init(portalCode: String, kioskCode: String, status: PortalStatus, updatedAt: String, note: String? = nil) {
        self.portalCode = portalCode
        self.kioskCode = kioskCode
        self.status = status
        self.updatedAt = updatedAt
        self.note = note
    }
}

/// An error answer, RFC 9457 problem details (`application/problem+json`).
public struct PortalProblem: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?

    public init(type: String = "about:blank", title: String, status: Int, detail: String? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
    }
}
