/// How one contract request ended: what `/_sim/stats` counts and the request log line names.
enum RequestOutcome: String, Sendable {
    case created
    case replayed
    case conflict409
    case mismatch422
    case invalid400
    case injected500
    case injected500AfterCommit
    case injected503
    case down503
    case reset
    case lookedUp
    case notFound404
}
