import Foundation
import KioskCore
import Logging
import PortalAPI

/// Keeps the kiosk's own record of where its applications stand current while the portal can be
/// reached. A look-up asks the portal live when it can; when the link is down (a van in a dead
/// zone, a cultural house whose line failed) it answers from this record. Without a refresh, a
/// citizen who comes back a week later would hear the "received" of the day they applied, when the
/// portal has long said "result ready".
///
/// Each round asks about every application the portal confirmed, has not yet reported delivered to
/// the citizen, and the kiosk has not heard about for `interval`, least recently heard first. It asks
/// one application at a time: a background chore must not take the forwarder's connections from new
/// applications. A round stops at the first question the portal does not answer, since the link is
/// down and the next round tries again.
public final class StatusRefresher: Sendable {
    private let outbox: Outbox
    private let client: PortalClient
    private let interval: TimeInterval
    private let requestTimeout: TimeInterval
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Applications older than this are no longer followed: one still not delivered after a year
    /// is a matter for the office, not for a kiosk's background chore.
    public static let followedFor: TimeInterval = 365 * 86_400
    /// How long after start the first round comes, at the most.
    static let firstRoundDelay: TimeInterval = 60

    /// What one round did, for the log and for tests.
    public struct Round: Sendable, Equatable {
        /// Applications the portal answered about.
        public var answered = 0
        /// Of those, applications whose status or note changed.
        public var changed = 0
        /// Applications the portal said it does not know (a portal restored from an old backup).
        public var unknownToPortal = 0
        /// Why the round stopped early, when the portal could not be asked.
        public var unreachable: String?

        public init(answered: Int = 0, changed: Int = 0, unknownToPortal: Int = 0, unreachable: String? = nil) {
            self.answered = answered
            self.changed = changed
            self.unknownToPortal = unknownToPortal
            self.unreachable = unreachable
        }
    }

    /// `interval`: how long a status is trusted before it is asked again, and the pause between rounds.
    public init(outbox: Outbox, client: PortalClient, interval: TimeInterval, requestTimeout: TimeInterval, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.outbox = outbox
        self.client = client
        self.interval = interval
        self.requestTimeout = requestTimeout
        self.logger = logger
        self.now = now
    }

    /// Refreshes every `interval` until the task is cancelled. The first round comes a minute after
    /// start (or sooner, with a shorter interval): a kiosk switched off for a weekend catches up
    /// soon, but the first moments with a link belong to sending the applications still pending.
    public func run() async {
        do {
            try await Task.sleep(for: .seconds(min(interval, Self.firstRoundDelay)))
        } catch {
            return
        }
        while !Task.isCancelled {
            let round = await refresh()
            if round.answered > 0 || round.unknownToPortal > 0 {
                logger.info("application statuses refreshed", metadata: ["answered": "\(round.answered)", "changed": "\(round.changed)",
                                                                         "unknown_to_portal": "\(round.unknownToPortal)"])
            }
            do {
                try await Task.sleep(for: .seconds(interval))
            } catch {
                return
            }
        }
    }

    /// One round: asks about each application due a refresh and records what the portal says.
    /// Those due are read once: an answered one is no longer due, and one that becomes due
    /// meanwhile waits for the next round.
    public func refresh() async -> Round {
        var round = Round()
        let startedAt = now()
        let due: [OutboxEntry]
        do {
            due = try await outbox.statusesToRefresh(heardBefore: startedAt.addingTimeInterval(-interval),
                                                     acceptedAfter: startedAt.addingTimeInterval(-Self.followedFor))
        } catch {
            logger.error("outbox unreadable; statuses not refreshed", metadata: ["detail": "\(error.detail)"])
            return round
        }
        for entry in due where !Task.isCancelled {
            let report: ApplicationStatusReport?
            do {
                report = try await client.status(code: entry.portalCode ?? entry.kioskCode, timeout: requestTimeout)
            } catch {
                // Stopping (shutdown, reload) cuts the question short; the portal is not to blame.
                if Task.isCancelled { return round }
                round.unreachable = error.detail
                logger.notice("portal not reachable; statuses are refreshed later", metadata: ["detail": "\(error.detail)"])
                return round
            }
            guard let report else {
                round.unknownToPortal += 1
                logger.warning("the portal does not know a delivered application",
                               metadata: ["code": "\(entry.kioskCode)", "portal_code": "\(entry.portalCode ?? "-")"])
                continue
            }
            round.answered += 1
            do {
                try await outbox.recordStatus(report, at: now())
            } catch {
                logger.error("application status not recorded", metadata: ["code": "\(entry.kioskCode)", "detail": "\(error.detail)"])
                continue
            }
            if report.status != entry.portalStatus || report.note != entry.statusNote {
                round.changed += 1
                logger.info("application status changed", metadata: [
                    "code": "\(entry.kioskCode)", "from": "\(entry.portalStatus?.rawValue ?? "-")", "to": "\(report.status.rawValue)",
                ])
            }
        }
        return round
    }
}
