import Foundation
import PortalAPI

/// How an application's status moves on by itself: received, then in process after one step,
/// result ready after two, delivered after three, as an office would work through it. A step of 0
/// keeps every application `received`. A status set by hand (admin API) wins over the clock.
struct StatusTimeline: Sendable {
    /// Seconds per step; 0 stops the clock.
    let stepSeconds: Int

    private static let progression: [PortalStatus] = [.received, .inProcess, .resultReady, .delivered]

    /// Where `application` stands at `now`.
    func report(for application: ApplicationRecord, at now: Date) -> ApplicationStatusReport {
        if let manual = application.statusOverride {
            return ApplicationStatusReport(portalCode: application.portalCode, kioskCode: application.kioskCode,
                                           status: manual.status, updatedAt: PortalTime.string(manual.at), note: manual.note)
        }
        let steps = stepsTaken(since: application.filedAt, at: now)
        // updatedAt is when the status changed, not when it was asked: the same answer on every poll.
        let changedAt = application.filedAt.addingTimeInterval(TimeInterval(steps * stepSeconds))
        return ApplicationStatusReport(portalCode: application.portalCode, kioskCode: application.kioskCode,
                                       status: Self.progression[steps], updatedAt: PortalTime.string(changedAt))
    }

    /// The first answer for an application filed at `filedAt`.
    static func received(portalCode: String, kioskCode: String, filedAt: Date) -> ApplicationStatusReport {
        ApplicationStatusReport(portalCode: portalCode, kioskCode: kioskCode, status: .received,
                                updatedAt: PortalTime.string(filedAt))
    }

    private func stepsTaken(since filedAt: Date, at now: Date) -> Int {
        guard stepSeconds > 0 else { return 0 }
        let elapsed = max(0, now.timeIntervalSince(filedAt))
        return min(Self.progression.count - 1, Int(elapsed / Double(stepSeconds)))
    }
}
