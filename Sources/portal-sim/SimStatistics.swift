import PortalAPI
import Synchronization

/// Counts of contract requests by outcome since the simulator started (not persisted: a restart
/// is a new run, and the database keeps what matters for exactly-once).
final class SimStatistics: Sendable {
    private let counts = Mutex(PortalSimStats())

    func count(_ outcome: RequestOutcome) {
        counts.withLock { stats in
            switch outcome {
            case .created: stats.created += 1
            case .replayed: stats.replayed += 1
            case .conflict409: stats.conflict409 += 1
            case .mismatch422: stats.mismatch422 += 1
            case .invalid400: stats.invalid400 += 1
            case .injected500: stats.injected500 += 1
            case .injected500AfterCommit: stats.injected500AfterCommit += 1
            case .injected503: stats.injected503 += 1
            case .down503: stats.down503 += 1
            case .reset: stats.resets += 1
            case .lookedUp: stats.lookedUp += 1
            case .notFound404: stats.notFound404 += 1
            }
        }
    }

    /// The counts now, with the number of POSTs in flight filled in by the caller.
    func snapshot(inFlight: Int) -> PortalSimStats {
        var stats = counts.withLock { $0 }
        stats.inFlight = inFlight
        return stats
    }
}
