import Foundation
import PortalAPI
import Synchronization

/// The contract requests answered since the simulator started, for `GET /_sim/requests`: the
/// request log a test can read back with sub-second times (the stderr log has whole seconds).
/// Listed by arrival, although recorded when answered: a slow answer to an early request must
/// still come before the requests that arrived after it. Bounded, so a long demo does not grow it
/// without end; not persisted, as `/_sim/stats` is not.
final class RequestJournal: Sendable {
    /// The most requests kept; the first answered go first.
    static let capacity = 10_000

    private let requests = Mutex<[(received: Date, request: PortalSimRequest)]>([])

    func record(_ request: PortalSimRequest, receivedAt received: Date) {
        requests.withLock { requests in
            if requests.count >= Self.capacity { requests.removeFirst(requests.count - Self.capacity + 1) }
            requests.append((received, request))
        }
    }

    /// Every request kept, oldest arrival first.
    var all: [PortalSimRequest] {
        // Stable, so requests that arrived in the same instant keep their order.
        requests.withLock { $0 }.enumerated()
            .sorted { ($0.element.received, $0.offset) < ($1.element.received, $1.offset) }
            .map(\.element.request)
    }
}
