import CoreMetrics
import Foundation
import KioskCore
import Logging
import PortalAPI

/// The forward half of store-and-forward: sends every pending application to the portal until the
/// portal confirms it, surviving outages, error answers and restarts.
///
/// Each application keeps one `Idempotency-Key` and one payload for all its attempts, so a retry
/// after a lost answer is recognised by the portal instead of filed twice. At most `concurrency`
/// applications are in flight. A failed attempt waits an exponentially growing, jittered delay
/// (or the portal's own Retry-After, when longer); the schedule is in the outbox, so a restart
/// resumes it. Delivered applications are wiped once the retention period has passed.
public final class Forwarder: Sendable {
    private let outbox: Outbox
    private let client: PortalClient
    private let concurrency: Int
    private let retention: TimeInterval
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let firstRetryDelay: TimeInterval
    private let maximumRetryDelay: TimeInterval
    private let wakeSignal = WakeSignal()

    /// swift-metrics counters (kioskd exports them to Prometheus): applications the portal
    /// confirmed, applications that failed for good, and attempts that will be repeated.
    public static let forwardedMetric = "kiosk_applications_forwarded_total"
    public static let failedMetric = "kiosk_applications_failed_total"
    public static let attemptsNotDeliveredMetric = "kiosk_portal_attempts_not_delivered_total"

    /// First retry after about this long; then doubling up to `maximumDelay`.
    public static let firstDelay: TimeInterval = 2
    public static let maximumDelay: TimeInterval = 300
    /// How long a portal still processing the same key (409) is given before asking again.
    public static let inFlightDelay: TimeInterval = 2
    /// How often delivered applications are checked for the end of their retention when idle.
    static let wipeInterval: TimeInterval = 600
    /// The longest the loop sleeps without looking at the outbox (a row may have been changed by
    /// `kioskctl outbox retry` through another path).
    static let longestSleep: TimeInterval = 30

    /// `firstRetryDelay`: the first step of the backoff; `maximumRetryDelay`: the longest step it
    /// doubles up to. Tests shorten both; the doubling, the jitter and Retry-After stay the same.
    public init(outbox: Outbox, client: PortalClient, concurrency: Int = 4, retentionDays: Int, logger: Logger,
                firstRetryDelay: TimeInterval = Forwarder.firstDelay, maximumRetryDelay: TimeInterval = Forwarder.maximumDelay,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.firstRetryDelay = firstRetryDelay
        self.maximumRetryDelay = max(firstRetryDelay, maximumRetryDelay)
        self.outbox = outbox
        self.client = client
        self.concurrency = max(1, concurrency)
        retention = TimeInterval(retentionDays) * 86_400
        self.logger = logger
        self.now = now
    }

    /// A new application was accepted (or a technician asked for a retry): look at the outbox now.
    public func wake() {
        Task { await wakeSignal.signal() }
    }

    /// What one child of the forwarding loop finished: a request answered, or its outcome recorded.
    private enum Step: Sendable {
        /// A failure: the application could not even be read back to be sent.
        case answered(OutboxEntry, Result<FilingOutcome, OutboxError>)
        case recorded(Int64)
    }

    /// Sends until the task is cancelled. Attempts stream: as soon as a request is answered, the
    /// next due application takes its connection while the answer is recorded beside it, so
    /// `concurrency` requests stay in flight while a backlog lasts (a van back in coverage after
    /// days offline). An application is not sent again before its last answer is recorded.
    public func run() async {
        var lastWipe = Date.distantPast
        await withTaskGroup(of: Step.self) { group in
            // Rows being sent or recorded are still pending in the outbox: never picked twice.
            var unrecorded = Set<Int64>()
            // Due applications read ahead, earliest due first: one outbox read per batch rather than
            // per answer. Only this loop sends, so what it read stays due until it sends it.
            var readAhead: ArraySlice<OutboxEntry> = []
            var requests = 0
            var answered = 0
            while !Task.isCancelled {
                do throws(OutboxError) {
                    if requests < concurrency && readAhead.isEmpty {
                        readAhead = try await outbox.due(at: now(), limit: concurrency * 8 + unrecorded.count)
                            .filter { !unrecorded.contains($0.id) }[...]
                    }
                    while requests < concurrency, let entry = readAhead.popFirst() {
                        guard !unrecorded.contains(entry.id) else { continue }
                        unrecorded.insert(entry.id)
                        requests += 1
                        group.addTask { .answered(entry, await self.post(entry)) }
                    }
                    if answered > 0 && retention == 0 || now().timeIntervalSince(lastWipe) >= Self.wipeInterval {
                        try await wipeExpired()
                        lastWipe = now()
                        answered = 0
                    }
                    if !unrecorded.isEmpty {
                        // Whatever finishes first: an answer frees a connection, a record frees its row.
                        switch await group.next() {
                        case let .answered(entry, outcome):
                            requests -= 1
                            group.addTask { await self.record(outcome, of: entry); return .recorded(entry.id) }
                        case let .recorded(id):
                            unrecorded.remove(id)
                            answered += 1
                        case nil:
                            break
                        }
                        continue
                    }
                    // A newly accepted application wakes the loop only here, with nothing in flight;
                    // while requests are out, the next answer (within the request timeout) looks again.
                    let next = try await outbox.nextAttemptTime()
                    let sleep = min(Self.longestSleep, next.map { $0.timeIntervalSince(now()) } ?? Self.longestSleep)
                    await wakeSignal.wait(seconds: max(0.05, sleep))
                } catch {
                    // Stopping (GRDB's async reads throw when their task is cancelled) is no fault of the outbox.
                    if Task.isCancelled { break }
                    logger.error("outbox unreadable; forwarding paused", metadata: ["detail": "\(error.detail)"])
                    // Attempts already under way finish and record their answers meanwhile.
                    while let step = await group.next() {
                        switch step {
                        case let .answered(entry, outcome):
                            requests -= 1
                            await record(outcome, of: entry)
                            unrecorded.remove(entry.id)
                        case let .recorded(id):
                            unrecorded.remove(id)
                        }
                    }
                    await wakeSignal.wait(seconds: Self.longestSleep)
                }
            }
        }
    }

    /// One attempt at one application: its request and the portal's answer, or why the
    /// application cannot be read back to be sent.
    func post(_ entry: OutboxEntry) async -> Result<FilingOutcome, OutboxError> {
        let body: Data
        do {
            body = try outbox.requestBody(for: entry)
        } catch {
            return .failure(error)
        }
        return .success(await client.file(body: body, idempotencyKey: entry.idempotencyKey))
    }

    /// Records how an attempt ended, planning the next attempt when there is one.
    func record(_ result: Result<FilingOutcome, OutboxError>, of entry: OutboxEntry) async {
        if Task.isCancelled, case .success(.retryLater) = result {
            // The forwarder is stopping (kioskd shutting down, or a reload renewing the connection)
            // and cut the attempt short: that says nothing about the portal, so it is neither counted
            // nor given as the last error ("no answer: CancellationError()" would mislead a
            // technician), and the application stays due. Its key makes the next attempt safe
            // whether or not the portal got this one.
            logger.debug("attempt cut short by stopping", metadata: ["code": "\(entry.kioskCode)"])
            return
        }
        let outcome: FilingOutcome
        switch result {
        case let .success(answer):
            outcome = answer
        case let .failure(error):
            logger.error("application cannot be sent", metadata: ["code": "\(entry.kioskCode)", "detail": "\(error.detail)"])
            try? await outbox.recordRefused(entry, error: "not sendable: \(error.detail)")
            Counter(label: Self.failedMetric, dimensions: [("reason", "not-sendable")]).increment()
            return
        }
        do {
            switch outcome {
            case let .filed(report, replayed):
                try await outbox.recordDelivered(entry, report: report, at: now())
                Counter(label: Self.forwardedMetric).increment()
                logger.info("application delivered", metadata: ["code": "\(entry.kioskCode)", "portal_code": "\(report.portalCode)",
                                                                "attempts": "\(entry.attempts + 1)", "replayed": "\(replayed)"])
            case .inFlight:
                Counter(label: Self.attemptsNotDeliveredMetric, dimensions: [("reason", "in-flight")]).increment()
                try await outbox.recordRetry(entry, error: "HTTP 409: still in flight at the portal",
                                             nextAttempt: now().addingTimeInterval(min(Self.inFlightDelay, firstRetryDelay) * Double.random(in: 1...1.5)))
            case let .retryLater(reason, retryAfter):
                Counter(label: Self.attemptsNotDeliveredMetric, dimensions: [("reason", "retry-later")]).increment()
                let delay = Self.delay(afterAttempt: entry.attempts + 1, retryAfter: retryAfter, firstDelay: firstRetryDelay,
                                       maximumDelay: maximumRetryDelay)
                try await outbox.recordRetry(entry, error: reason, nextAttempt: now().addingTimeInterval(delay))
                logger.warning("application not delivered yet", metadata: ["code": "\(entry.kioskCode)", "attempt": "\(entry.attempts + 1)",
                                                                           "reason": "\(reason)",
                                                                           "next_in_s": "\(String(format: "%.1f", delay))"])
            case let .refused(reason):
                try await outbox.recordRefused(entry, error: reason)
                Counter(label: Self.failedMetric, dimensions: [("reason", "refused-by-portal")]).increment()
                logger.error("portal refused the application", metadata: ["code": "\(entry.kioskCode)", "reason": "\(reason)"])
            }
        } catch {
            // The outcome could not be recorded: the row stays due and the next attempt repeats this
            // one with the same key, which the portal answers from its stored answer.
            logger.error("outcome not recorded", metadata: ["code": "\(entry.kioskCode)", "detail": "\(error.detail)"])
        }
    }

    /// "Equal jitter" exponential backoff: half the step fixed, half random, so a fleet of kiosks
    /// coming back after an outage does not retry in lockstep; never sooner than Retry-After.
    public static func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?, firstDelay: TimeInterval = firstDelay,
                             maximumDelay: TimeInterval = maximumDelay) -> TimeInterval {
        let step = min(maximumDelay, firstDelay * pow(2, Double(max(0, attempt - 1))))
        let jittered = step / 2 + Double.random(in: 0...(step / 2))
        guard let retryAfter else { return jittered }
        return max(retryAfter, min(jittered, retryAfter * 1.1 + 1))
    }

    /// Wipes the personal data of applications delivered longer ago than the retention period.
    func wipeExpired() async throws(OutboxError) {
        let wiped = try await outbox.wipeDelivered(before: now().addingTimeInterval(-retention), at: now())
        if wiped > 0 { logger.info("delivered applications wiped after retention", metadata: ["count": "\(wiped)"]) }
    }
}
