/// Why a page could not be scanned, as the citizen is told and the status model records it.
/// One case per SANE status a scanner can answer with (SANE standard 1.0, §4.3.7).
public enum ScanFault: String, Sendable, Hashable, CaseIterable {
    case jammed
    /// The feeder is empty (or, on a flatbed scanner that can tell, nothing is on the glass).
    case noDocuments = "no-documents"
    case coverOpen = "cover-open"
    case ioError = "io-error"
    case deviceBusy = "device-busy"
    /// The citizen (or the kiosk, on their behalf) stopped the scan.
    case cancelled
    case accessDenied = "access-denied"
    case outOfMemory = "out-of-memory"
    /// The scanner is not there (unplugged, never found).
    case missing
    /// Anything else the backend reports (unsupported option, invalid value…).
    case other

    /// What the citizen hears and reads.
    public var prompt: PromptKey {
        switch self {
        case .jammed: .scanJammed
        case .noDocuments: .scanNoDocuments
        case .coverOpen: .scanCoverOpen
        case .cancelled: .scanCancelled
        case .deviceBusy: .scanBusy
        case .ioError, .accessDenied, .outOfMemory, .missing, .other: .scanFailed
        }
    }

    /// The scanner's state while this fault stands (XFS4IoT vocabulary).
    public var deviceState: DeviceState {
        switch self {
        case .jammed, .coverOpen: .userError
        case .noDocuments, .cancelled: .online
        case .deviceBusy: .busy
        case .missing: .noDevice
        case .ioError, .accessDenied, .outOfMemory, .other: .hardwareError
        }
    }
}
