import Synchronization

/// What a handler learnt about its request that the request log line needs (the kiosk code is in
/// the body, the outcome is decided deep in the handler). A class shared by the log middleware and
/// the handler through the request context, which is passed by value.
final class RequestNotes: Sendable {
    private struct Notes {
        var kioskCode: String?
        var outcome: RequestOutcome?
    }

    private let notes = Mutex(Notes())

    var kioskCode: String? {
        get { notes.withLock { $0.kioskCode } }
        set { notes.withLock { $0.kioskCode = newValue } }
    }

    var outcome: RequestOutcome? {
        get { notes.withLock { $0.outcome } }
        set { notes.withLock { $0.outcome = newValue } }
    }
}
