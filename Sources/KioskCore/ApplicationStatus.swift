import Foundation

/// Where an application stands, as the citizen is told (the portal's statuses, in the kiosk's words).
public enum ApplicationProgress: String, Sendable, Hashable, CaseIterable, Codable {
    case received
    case inProcess = "in_process"
    case needsMoreDocuments = "needs_more_documents"
    case resultReady = "result_ready"
    case delivered

    public var prompt: PromptKey {
        switch self {
        case .received: .statusReceived
        case .inProcess: .statusInProcess
        case .needsMoreDocuments: .statusNeedsMoreDocuments
        case .resultReady: .statusResultReady
        case .delivered: .statusDelivered
        }
    }
}

/// The answer to a look-up by application code.
public enum ApplicationLookUpResult: Sendable, Equatable {
    /// The portal's status; `current` is false when the portal could not be asked and this is the
    /// last status this kiosk heard, as of `asOf`.
    case status(ApplicationProgress, note: String?, asOf: Date, current: Bool)
    /// This kiosk took the application and has not been able to hand it to the portal yet.
    case waitingToBeSent(acceptedAt: Date)
    /// Neither this kiosk nor the portal knows the code.
    case notFound
    /// Not taken here, and the portal cannot be asked now.
    case cannotCheckNow
}

/// What happened after the citizen confirmed an application.
public enum ApplicationOutcome: Sendable, Equatable {
    /// Recorded (the disk keeps it); the receipt printed or, if not, why.
    case accepted(code: String, receipt: ReceiptPrintOutcome)
}

/// Whether an accepted application's receipt came out of the printer.
public enum ReceiptPrintOutcome: Sendable, Equatable {
    case printed
    case notPrinted(ReceiptPrintFailure)
}
