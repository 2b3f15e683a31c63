import Foundation

/// What the Session decides from: the profile in force, the devices' last status, and the time now.
/// Handed in with every event so the Session owns no clock and reads no device.
public struct SessionContext: Sendable {
    public var profile: KioskProfile
    public var devices: [DeviceStatus]
    public var now: Date

    public init(profile: KioskProfile, devices: [DeviceStatus], now: Date) {
        self.profile = profile
        self.devices = devices
        self.now = now
    }
}

/// Something that happened to the Session: a key, a timer, or the outcome of an effect.
public enum SessionEvent: Sendable, Equatable {
    case key(KeypadAction)
    /// The inactivity timer the Session last armed has run out.
    case inactivityTimeout
    /// A function the Session asked for could not be carried out.
    case functionFailed(KioskFunction, FunctionFailure)
    /// A technician put the kiosk in or out of maintenance. A citizen already being served may finish.
    case maintenance(Bool)
    /// A queue number was durably recorded; `printed` says whether the ticket came out of the printer.
    case ticketIssued(IssuedTicket, TicketPrintOutcome)
    /// A device's status changed (the context already holds the new status): what is offered may change.
    case devicesChanged
    /// A scan finished; the application now holds `total` pages.
    case pagesScanned(total: Int)
    /// A scan did not complete; the application still holds `total` pages scanned before.
    case scanFailed(ScanFault, total: Int)
    /// The identity card laid on the glass was scanned: what its QR code says, or why it gave nothing.
    case identityCardRead(Result<CitizenCardQR, IdentityCardFailure>)
    /// The application was durably recorded under `code` (16 digits); its receipt printed or not.
    case applicationAccepted(code: String, receipt: ReceiptPrintOutcome)
    /// The answer to a look-up of `code`.
    case applicationLookedUp(code: String, ApplicationLookUpResult)
}

/// Whether a recorded ticket came out of the printer.
public enum TicketPrintOutcome: Sendable, Equatable {
    case printed
    /// The number is the citizen's all the same (recorded, never given to anyone else); they hear it
    /// and may ask for a reprint.
    case notPrinted(TicketPrintFailure)
}

/// Why a ticket did not come out, as the citizen is told.
public enum TicketPrintFailure: String, Sendable, Hashable, CaseIterable {
    case paperOut = "paper-out"
    case coverOpen = "cover-open"
    case printerOffline = "offline"
    case printerFault = "hardware-error"
    case printerMissing = "no-device"

    public var prompt: PromptKey {
        switch self {
        case .paperOut: .ticketFailedPaperOut
        case .coverOpen: .ticketFailedCoverOpen
        case .printerOffline, .printerFault, .printerMissing: .ticketFailedPrinter
        }
    }
}

/// Why a function (ticket, application, look-up) could not be carried out, as the citizen is told.
public enum FunctionFailure: Error, Sendable, Equatable {
    /// This kiosk has no working implementation of the function (yet, or not in this profile).
    case notAvailableHere
    /// A device the function needs has a fault.
    case deviceFault(DeviceKind)
    /// The kiosk cannot record what the function must record first (disk full or unwritable).
    case storageFault
}

/// What the Session asks the world to do. The effect runner hands each to the component owning it.
public enum SessionEffect: Sendable, Equatable {
    case show(ScreenContent)
    /// Speak `text` in `language`, interrupting whatever is being said.
    case speak(Utterance)
    /// Stop speaking at once (barge-in).
    case stopSpeaking
    case setVolume(Int)
    case setRate(wordsPerMinute: Int)
    /// (Re)start the inactivity timer; only the latest one counts.
    case armInactivityTimer(seconds: Int)
    case cancelInactivityTimer
    /// Forget everything the citizen entered, wherever it is held (scans, drafts).
    case wipePersonalData
    case issueTicket(servicePrefix: String, priority: PriorityClass?)
    /// Scan the next page (flatbed) or the feeder's stack, adding to the application's pages.
    case scanDocuments
    /// Scan the citizen identity card on the glass, one page, and read its QR code; the outcome comes
    /// back as `identityCardRead`. The card's image is not kept.
    case scanIdentityCard
    /// Stop the scan in progress (the keypad's back key while scanning).
    case cancelScan
    /// Print an already recorded ticket again (its first printing failed); the number does not change.
    case reprintTicket(IssuedTicket)
    case submitApplication(ApplicationDraft)
    case lookUpApplication(code: String)
}

/// One thing to say: the text (already speakable: words, not digit strings) and its language.
public struct Utterance: Sendable, Equatable {
    public var text: String
    public var language: Language

    public init(text: String, language: Language) {
        self.text = text
        self.language = language
    }
}

/// What is drawn: a title, body lines, numbered choices, an input field, an error, hints.
/// `spoken` is the same content as it is read aloud (every displayed item is spoken).
public struct ScreenContent: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public var key: String
        public var label: String

        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public var title: String
    public var lines: [String]
    public var choices: [Choice]
    /// The entry as shown: masked for personal data (`•••• •••`).
    public var input: String?
    public var error: String?
    public var hints: [String]
    public var language: Language
    public var spoken: String

    public init(title: String, lines: [String] = [], choices: [Choice] = [], input: String? = nil, error: String? = nil,
                hints: [String] = [], language: Language, spoken: String) {
        self.title = title
        self.lines = lines
        self.choices = choices
        self.input = input
        self.error = error
        self.hints = hints
        self.language = language
        self.spoken = spoken
    }
}

/// The application as entered so far: typed, or read from the citizen identity card's QR code.
/// Personal data: it lives only in the Session's state and the effect that submits it, and is wiped
/// when the session ends. `description` and `dump` show none of it, so a log line or a test
/// failure that prints a draft prints no one's identity.
public struct ApplicationDraft: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var procedureCode: String
    public var citizenID: String
    public var phone: String
    /// How many pages the kiosk holds for this application (the images stay with the effect runner).
    public var scannedPages = 0
    /// How the citizen wants the result; nil until chosen (or when the procedure does not ask).
    public var delivery: DeliveryMethod?
    /// The holder's full name (NFC), from the card; nil when the ID number was typed.
    public var fullName: String?
    /// From the card; nil when the ID number was typed.
    public var dateOfBirth: LocalDate?
    /// From the card; nil when the ID number was typed.
    public var gender: CitizenGender?
    /// The permanent residence address (NFC), from the card; nil when the ID number was typed.
    public var address: String?
    /// Where the result is posted when `delivery` is `.byPost`: the card's address, the only one a
    /// keypad kiosk can know (post is offered only when there is one).
    public var postAddress: String?

    public init(procedureCode: String, citizenID: String = "", phone: String = "", fullName: String? = nil,
                dateOfBirth: LocalDate? = nil, gender: CitizenGender? = nil, address: String? = nil) {
        self.procedureCode = procedureCode
        self.citizenID = citizenID
        self.phone = phone
        self.fullName = fullName
        self.dateOfBirth = dateOfBirth
        self.gender = gender
        self.address = address
    }

    /// Whether the identity came from the card (rather than typed digits).
    public var identityFromCard: Bool { fullName != nil }

    public var description: String {
        "ApplicationDraft(procedure: \(procedureCode), pages: \(scannedPages), delivery: \(delivery?.rawValue ?? "none"), "
            + "identity: \(identityFromCard ? "card" : "typed"), personal data redacted)"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["procedureCode": procedureCode, "scannedPages": scannedPages, "personalData": "redacted"])
    }
}

/// Which screen the citizen is on.
public indirect enum SessionScreen: Sendable, Equatable {
    case welcome
    case mainMenu
    case chooseService
    case choosePriority(servicePrefix: String)
    case printingTicket
    /// The number the citizen got, and whether its ticket was printed.
    case ticketResult(IssuedTicket, TicketPrintOutcome)
    case chooseProcedure
    /// How the citizen gives their identity: scan the identity card, or type the number.
    case chooseIdentityMethod
    /// The identity card on the glass is being scanned and its QR code read.
    case readingIdentityCard
    /// What the card said (name, year of birth, the number's last digits), for the citizen to confirm.
    case confirmIdentity
    case enterCitizenID
    case enterPhone
    case chooseDelivery
    case scanDocuments
    case scanning
    case confirmApplication
    case sendingApplication
    /// The application is recorded: its code, and whether the receipt printed.
    case applicationAccepted(code: String, receipt: ReceiptPrintOutcome)
    case enterLookUpCode
    case lookingUp
    case lookUpResult(code: String, ApplicationLookUpResult)
    case help(returnTo: SessionScreen)
    case askMoreTime(returnTo: SessionScreen)
    case notice(PromptKey, returnTo: SessionScreen)
    /// Under maintenance: no session starts until a technician ends it.
    case maintenance
}

/// Everything the Session remembers between events.
public struct SessionState: Sendable, Equatable {
    public var screen: SessionScreen
    public var language: Language
    public var volume: Int
    public var rateWordsPerMinute: Int
    /// Digits typed on the current input screen.
    public var entry: String
    public var draft: ApplicationDraft?
    /// The input error shown on the current screen, if any, and the same error as it is spoken
    /// (numbers in words).
    public var error: String?
    public var spokenError: String?
    /// The last thing said, for the repeat key.
    public var lastUtterance: Utterance?
    /// A technician has put the kiosk under maintenance.
    public var underMaintenance = false
    /// The functions the main menu offered when it was last presented, to notice when they change.
    public var offeredFunctions: [KioskFunction] = []

    public init(screen: SessionScreen, language: Language, volume: Int, rateWordsPerMinute: Int) {
        self.screen = screen
        self.language = language
        self.volume = volume
        self.rateWordsPerMinute = rateWordsPerMinute
        entry = ""
        draft = nil
        error = nil
        spokenError = nil
        lastUtterance = nil
    }
}
