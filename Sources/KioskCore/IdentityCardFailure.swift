/// Why the citizen identity card laid on the scanner glass gave the kiosk no identity: the prompt
/// the citizen hears (each reason its own, saying what to do next) and the detail technicians read.
/// Neither holds anything read from the card.
///
/// The scanning room turns zbar's and SANE's outcomes into these; the Session only ever sees this type.
public enum IdentityCardFailure: CitizenInputProblem, Hashable {
    /// No QR code on the scanned page: no card, the card turned the wrong way, or a code too
    /// blurred for zbar to locate.
    case noCode
    /// More than one QR code on the page (two cards, or a card beside another document).
    case severalCodes(count: Int)
    /// A code was found but could not be read as text.
    case unreadable
    /// The code was read, but it is not a usable citizen identity card code.
    case invalid(CitizenCardQR.Invalid)
    /// The scanner could not take the page (or the citizen stopped it: `.cancelled`).
    case scanner(ScanFault)

    public var prompt: PromptKey {
        switch self {
        case .noCode: .cardQRNotFound
        case .severalCodes: .cardQRSeveralCodes
        case .unreadable: .cardQRUnreadable
        case let .invalid(reason): reason.prompt
        case let .scanner(fault):
            // The document prompts speak of pages kept and feeders; a card on the glass needs its own words.
            switch fault {
            case .cancelled: .cardScanCancelled
            case .coverOpen: .cardScanCoverOpen
            case .deviceBusy: .cardScanBusy
            // A flatbed that can tell the glass is empty: the same advice as a page without a code.
            case .noDocuments: .cardQRNotFound
            case .jammed, .ioError, .accessDenied, .outOfMemory, .missing, .other: .cardScanFailed
            }
        }
    }

    /// The technical detail for logs and `kioskctl`.
    public var description: String {
        switch self {
        case .noCode: "no QR code found on the card scan"
        case let .severalCodes(count): "\(count) QR codes on the card scan, expected one"
        case .unreadable: "QR code on the card scan unreadable"
        case let .invalid(reason): reason.description
        case let .scanner(fault): "card scan failed: \(fault.rawValue)"
        }
    }
}
