import Foundation

/// Everything one kiosk is configured with: who it is, where, when it is open, which devices it drives,
/// which services and procedures it offers, how it reaches the portal and how long it keeps data.
/// Built from `kiosk-profiles/*.yaml` by ProfileLoading, which refuses anything inconsistent,
/// so code holding a `KioskProfile` can rely on its invariants (unique prefixes, sane hours…).
public struct KioskProfile: Sendable, Hashable {
    public var identity: KioskIdentity
    public var timeZone: TimeZone
    public var languages: LanguageSettings
    public var hours: OpeningHours
    public var devices: DeviceSettings
    public var queue: QueueSettings
    public var procedures: [Procedure]
    public var portal: PortalSettings?
    public var privacy: PrivacySettings
    public var operations: OperationsSettings

    public init(identity: KioskIdentity, timeZone: TimeZone, languages: LanguageSettings, hours: OpeningHours,
                devices: DeviceSettings, queue: QueueSettings, procedures: [Procedure],
                portal: PortalSettings?, privacy: PrivacySettings, operations: OperationsSettings = OperationsSettings()) {
        self.identity = identity
        self.timeZone = timeZone
        self.languages = languages
        self.hours = hours
        self.devices = devices
        self.queue = queue
        self.procedures = procedures
        self.portal = portal
        self.privacy = privacy
        self.operations = operations
    }

    /// Vietnam's only zone; a profile that says nothing means it.
    public static let defaultTimeZoneIdentifier = "Asia/Ho_Chi_Minh"
}

/// The kiosk's identity, as printed on tickets and shown to technicians.
public struct KioskIdentity: Sendable, Hashable {
    /// A stable machine identifier such as `hn-hoankiem-sm-01`: lowercase letters, digits and dashes.
    public var id: String
    public var name: LocalizedText
    public var location: LocalizedText
    /// The five-digit number the province gave this kiosk: the first digits of every application
    /// code it prints, so codes from different kiosks never collide. Needed only to take applications.
    public var number: String?
    public static let numberLength = 5

    public init(id: String, name: LocalizedText, location: LocalizedText, number: String? = nil) {
        self.id = id
        self.name = name
        self.location = location
        self.number = number
    }
}

/// Which languages the kiosk offers and which one a new session starts in.
public struct LanguageSettings: Sendable, Hashable {
    public var defaultLanguage: Language
    public var offered: [Language]
    /// eSpeak NG voice for Vietnamese: `vi` (Northern), `vi-vn-x-central`, `vi-vn-x-south`.
    public var vietnameseVoice: VietnameseVoice

    public init(defaultLanguage: Language, offered: [Language], vietnameseVoice: VietnameseVoice) {
        self.defaultLanguage = defaultLanguage
        self.offered = offered
        self.vietnameseVoice = vietnameseVoice
    }
}

/// The regional Vietnamese voices eSpeak NG ships.
public enum VietnameseVoice: String, Sendable, CaseIterable, Hashable {
    case northern = "vi"
    case central = "vi-vn-x-central"
    case southern = "vi-vn-x-south"
}

/// A queue a citizen can take a number for (civil status, land…).
public struct QueueService: Sendable, Hashable {
    /// One or two capital letters printed before the number (`A` in `A012`); unique per kiosk.
    public var prefix: String
    public var name: LocalizedText
    /// Priority lines this service offers besides the ordinary one.
    public var priorityClasses: [PriorityClass]

    public init(prefix: String, name: LocalizedText, priorityClasses: [PriorityClass]) {
        self.prefix = prefix
        self.name = name
        self.priorityClasses = priorityClasses
    }
}

/// Citizens served before the ordinary line (Law on the Elderly, Law on Persons with Disabilities).
public enum PriorityClass: String, Sendable, CaseIterable, Hashable {
    case elderly, disabled, pregnant, veteran
    case childUnderSix = "child_under_6"

    /// The class's name in the prompts catalog, as the menu says it and the ticket prints it.
    public var prompt: PromptKey {
        switch self {
        case .elderly: .priorityElderly
        case .disabled: .priorityDisabled
        case .pregnant: .priorityPregnant
        case .veteran: .priorityVeteran
        case .childUnderSix: .priorityChildUnderSix
        }
    }
}

/// The queue settings: services and when a day's numbering starts again.
public struct QueueSettings: Sendable, Hashable {
    public var services: [QueueService]
    /// Local time at which the per-service counters start again from 1.
    public var dayStartsAt: ClockTime

    public init(services: [QueueService], dayStartsAt: ClockTime) {
        self.services = services
        self.dayStartsAt = dayStartsAt
    }
}

/// A national administrative procedure the kiosk accepts applications for.
public struct Procedure: Sendable, Hashable {
    /// The national procedure code, such as `1.001193` (birth registration).
    public var code: String
    public var name: LocalizedText
    public var requiredDocuments: [LocalizedText]
    public var fields: [ApplicationField]
    /// Working days until the result is expected, printed on the receipt.
    public var processingDays: Int?
    /// Fee in Vietnamese đồng; nil or 0 means free of charge.
    public var feeDong: Int?

    public init(code: String, name: LocalizedText, requiredDocuments: [LocalizedText],
                fields: [ApplicationField], processingDays: Int?, feeDong: Int?) {
        self.code = code
        self.name = name
        self.requiredDocuments = requiredDocuments
        self.fields = fields
        self.processingDays = processingDays
        self.feeDong = feeDong
    }
}

/// A piece of information an application collects from the citizen.
public enum ApplicationField: String, Sendable, CaseIterable, Hashable {
    case citizenID = "citizen_id"
    case phone
    case fullName = "full_name"
    case dateOfBirth = "date_of_birth"
    case gender
    case address
    case deliveryMethod = "delivery_method"
}

/// How the kiosk reaches the national portal adapter.
public struct PortalSettings: Sendable, Hashable {
    public var baseURL: URL
    public var caFile: String?
    public var clientCertificate: String?
    public var clientKey: String?
    public var connectTimeoutSeconds: Int
    public var requestTimeoutSeconds: Int
    /// How long a known application status is trusted before the kiosk asks the portal again in the
    /// background, so look-ups while the link is down answer what the portal said lately; 0: never.
    public var statusRefreshSeconds: Int

    public init(baseURL: URL, caFile: String?, clientCertificate: String?, clientKey: String?,
                connectTimeoutSeconds: Int, requestTimeoutSeconds: Int, statusRefreshSeconds: Int = 1800) {
        self.baseURL = baseURL
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.statusRefreshSeconds = statusRefreshSeconds
    }
}

/// How long the kiosk waits for a citizen and keeps their data.
public struct PrivacySettings: Sendable, Hashable {
    /// Seconds without a key press before the kiosk asks whether more time is needed.
    public var inactivityTimeoutSeconds: Int
    /// Seconds the "do you need more time?" question waits before the session ends and is wiped.
    public var moreTimeAnswerSeconds: Int
    /// Days a delivered application is kept (encrypted) before it is wiped.
    public var retentionDeliveredDays: Int
    /// Where the key that encrypts personal data at rest comes from (a 0600 file or a systemd credential).
    public var encryptionKeySource: EncryptionKeySource?

    public init(inactivityTimeoutSeconds: Int, moreTimeAnswerSeconds: Int = 30, retentionDeliveredDays: Int,
                encryptionKeySource: EncryptionKeySource?) {
        self.inactivityTimeoutSeconds = inactivityTimeoutSeconds
        self.moreTimeAnswerSeconds = moreTimeAnswerSeconds
        self.retentionDeliveredDays = retentionDeliveredDays
        self.encryptionKeySource = encryptionKeySource
    }
}

/// Where the at-rest encryption key is read from.
public enum EncryptionKeySource: Sendable, Hashable {
    case file(String)
    case systemdCredential(String)
}

/// How field technicians reach the kiosk.
public struct OperationsSettings: Sendable, Hashable {
    /// Members of this group (and root) may use `kioskctl`.
    public var controlGroup: String
    /// Where the Prometheus text endpoint listens (`/metrics`); always a loopback address, since the
    /// city's Prometheus reaches it through the kiosk's own agent, never from the network. Nil: no endpoint.
    public var metricsListen: LoopbackAddress?
    /// What citizens can still do while a technician has the kiosk under maintenance (say, look-up
    /// while the scanner is being replaced). Empty: the maintenance screen, nothing offered.
    public var offeredDuringMaintenance: [KioskFunction]

    public init(controlGroup: String = "kiosk-maint", metricsListen: LoopbackAddress? = nil, offeredDuringMaintenance: [KioskFunction] = []) {
        self.controlGroup = controlGroup
        self.metricsListen = metricsListen
        self.offeredDuringMaintenance = offeredDuringMaintenance
    }
}

/// A host on the loopback interface and a TCP port (0: any free port, for tests).
public struct LoopbackAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// Parses `127.0.0.1:9464`, `[::1]:9464` or `localhost:9464`; nil for anything else, including
    /// addresses that are not loopback.
    public init?(_ text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = Int(portText), (0...65_535).contains(port), Self.isLoopback(String(host)) else { return nil }
        self.host = String(host)
        self.port = port
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
