/// Why a receipt did not print, as the citizen is told. The application itself is already stored:
/// its code is shown and spoken, and the receipt can be printed again at the counter.
public enum ReceiptPrintFailure: String, Sendable, Hashable, CaseIterable {
    case paperOut = "paper-out"
    case jammed
    case coverOpen = "cover-open"
    case offline
    /// The job did not start within the profile's limit and was cancelled, so it cannot come out
    /// later for a citizen who has left.
    case notStartedInTime = "stale"
    /// The scheduler refused or lost the job.
    case refused

    public var prompt: PromptKey {
        switch self {
        case .paperOut: .receiptFailedPaperOut
        case .jammed, .coverOpen, .offline, .notStartedInTime, .refused: .receiptFailedPrinter
        }
    }
}
