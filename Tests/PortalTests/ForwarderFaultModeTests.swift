import Foundation
import KioskCore
import KioskHarness
import Logging
import Portal
import PortalAPI
import Synchronization
import Testing

/// Every fault mode of portal-sim, one at a time, as the forwarder meets it: what the outbox entry
/// says while it waits, what the portal saw on the wire (its request journal), and that the
/// application is filed exactly once in the end. Where time matters the check is on the spacing
/// of requests the simulator recorded (behaviour), never on how long the test took.
@Suite struct ForwarderFaultModeTests {
    @Test func aPortalSlowerThanTheRequestTimeoutIsAskedAgainAndFilesTheApplicationOnce() async throws {
        // Answers take 3 s; the kiosk waits 1 s for an answer.
        try await Rig.with("slow", faults: .init(latencyMilliseconds: 3_000), requestTimeoutSeconds: 1) { rig in
            rig.startForwarding()
            let waiting = try await rig.entry(until: "the first attempt timed out") { $0.attempts >= 1 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError?.contains("did not answer within 1 s") == true, "\(waiting.lastError ?? "no lastError")")
            // The first request is filed when its 3 s are up, although nobody waits for its answer any more.
            try await eventually("the first request was filed") { try await rig.simulator.applications().count == 1 }
            try await rig.simulator.setFaults(.none)

            let delivered = try await rig.delivered()
            let filed = try await rig.filedOnce()
            #expect(delivered.portalCode == filed.portalCode)
            #expect(delivered.attempts >= 2)
            let outcomes = try await rig.outcomes()
            #expect(outcomes.filter { $0 == "created" }.count == 1, "\(outcomes)")
            #expect(outcomes.last == "replayed", "the answer the kiosk finally read was the stored one: \(outcomes)")
        }
    }

    @Test func aConnectionResetWithoutAnAnswerIsRetriedAndFilesTheApplicationOnce() async throws {
        try await Rig.with("reset", faults: .init(resetRate: 1)) { rig in
            rig.startForwarding()
            let waiting = try await rig.entry(until: "two attempts were reset") { $0.attempts >= 2 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError?.contains("closed the connection") == true, "\(waiting.lastError ?? "no lastError")")
            #expect(try await rig.simulator.applications().isEmpty, "a reset stores nothing")
            try await rig.simulator.setFaults(.none)

            let delivered = try await rig.delivered()
            let filed = try await rig.filedOnce()
            #expect(delivered.portalCode == filed.portalCode)
            let outcomes = try await rig.outcomes()
            #expect(outcomes.filter { $0 == "reset" }.count >= 2)
            #expect(outcomes.last == "created", "\(outcomes)")
        }
    }

    @Test func anInjected500IsRetriedAndFilesTheApplicationOnce() async throws {
        try await Rig.with("error", faults: .init(errorRate: 1)) { rig in
            rig.startForwarding()
            let waiting = try await rig.entry(until: "two attempts got 500") { $0.attempts >= 2 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError == "HTTP 500: Internal error")
            #expect(try await rig.simulator.applications().isEmpty)
            try await rig.simulator.setFaults(.none)

            let delivered = try await rig.delivered()
            #expect(delivered.portalCode == (try await rig.filedOnce()).portalCode)
            #expect(try await rig.outcomes().last == "created")
        }
    }

    @Test func anAnswerLostAfterFilingIsReplayedOnRetryAndTheEntryRecordsThePortalsCode() async throws {
        // Every new filing loses its answer; the fault stays on: only the replay can deliver.
        try await Rig.with("after-commit", faults: .init(errorAfterCommitRate: 1)) { rig in
            rig.startForwarding()
            let delivered = try await rig.delivered()
            let filed = try await rig.filedOnce()
            #expect(delivered.portalCode == filed.portalCode)
            #expect(delivered.portalStatus == .received)
            #expect(delivered.attempts == 2)
            #expect(filed.postRequests == 2)
            #expect(try await rig.outcomes() == ["injected500AfterCommit", "replayed"])
        }
    }

    @Test func a503WithRetryAfterIsNotAskedAgainBeforeRetryAfterHasPassed() async throws {
        // The forwarder's own first backoff step (0.2 s) is far shorter than Retry-After: only
        // honouring Retry-After spaces the requests by 2 s.
        let retryAfter = 2
        try await Rig.with("retry-after", faults: .init(unavailableRate: 1, retryAfterSeconds: retryAfter)) { rig in
            rig.startForwarding()
            try await eventually("three requests were answered 503") {
                try await rig.requests().filter { $0.status == 503 }.count >= 3
            }
            let waiting = try await rig.entry(until: "an attempt was recorded") { $0.attempts >= 1 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError == "HTTP 503: Service temporarily unavailable")
            try await rig.simulator.setFaults(.none)

            let delivered = try await rig.delivered()
            #expect(delivered.portalCode == (try await rig.filedOnce()).portalCode)
            let requests = try await rig.requests()
            for (answered, next) in zip(requests, requests.dropFirst()) where answered.status == 503 {
                let answeredAt = try #require(answered.answeredDate)
                let nextAt = try #require(next.receivedDate)
                // The journal's times have milliseconds: a millisecond of rounding is allowed.
                #expect(nextAt.timeIntervalSince(answeredAt) >= Double(retryAfter) - 0.001,
                        "asked again \(nextAt.timeIntervalSince(answeredAt)) s after a 503 with Retry-After: \(retryAfter)")
            }
            #expect(requests.last?.outcome == "created")
        }
    }

    @Test func anotherPayloadUnderTheSameKeyIsRefusedForGoodWithAPreciseReasonAndNotRetried() async throws {
        try await Rig.with("mismatch", faults: .none) { rig in
            // Something else already used this application's key with another payload (a kiosk
            // restored from an old backup whose keys were reused would look like this).
            let entry = try await rig.entry()
            var submission = try JSONDecoder().decode(ApplicationSubmission.self, from: try rig.outbox.requestBody(for: entry))
            submission.submittedAt = "2020-01-01T08:00:00+07:00"
            let other = try PortalWire.encoder().encode(submission)
            guard case .filed = await rig.client.file(body: other, idempotencyKey: entry.idempotencyKey) else {
                Issue.record("the other payload was not filed")
                return
            }

            rig.startForwarding()
            let refused = try await rig.entry(until: "the application was refused") { $0.state != .pending }
            #expect(refused.state == .refused)
            #expect(refused.lastError == "HTTP 422: Idempotency-Key reused")
            #expect(refused.nextAttemptAt == nil)
            #expect(refused.portalCode == nil)
            let summary = try await rig.outbox.summary()
            #expect(summary.refused == 1)
            #expect(summary.lastError == refused.lastError, "a technician sees why on kioskctl outbox")

            // Not retried: a later application goes through the same forwarder while the refused one
            // gets no second request.
            let later = try await rig.outbox.accept(OutboxTests.intake(pageBytes: 5_000), at: Date())
            rig.forwarder.wake()
            try await eventually("the later application was delivered") {
                try await rig.outbox.find(code: later.code.digits)?.state == .delivered
            }
            #expect(try await rig.requests(key: entry.idempotencyKey).map(\.outcome) == ["created", "mismatch422"])
            #expect(try await rig.outbox.find(code: entry.kioskCode)?.attempts == 1)
        }
    }

    @Test func aRequestStillInFlightAtThePortalIsAskedAgainLaterAndFilesOnce() async throws {
        // The portal holds new applications in flight until the test releases them: the forwarder
        // meets the first request still being processed however slowly the machine runs.
        try await Rig.with("in-flight", faults: .init(holdFiling: true), requestTimeoutSeconds: 60) { rig in
            // An earlier attempt of this very application is still being processed (the kiosk
            // restarted while it waited for the answer): same key, same bytes.
            let entry = try await rig.entry()
            let body = try rig.outbox.requestBody(for: entry)
            let (client, key) = (rig.client, entry.idempotencyKey)
            let earlier = Task { await client.file(body: body, idempotencyKey: key) }
            try await eventually("the earlier request is in flight") { try await rig.simulator.stats().inFlight == 1 }

            rig.startForwarding()
            try await eventually("the forwarder met the request in flight") {
                try await rig.outcomes().contains("conflict409")
            }
            let waiting = try await rig.entry(until: "the 409 was recorded") { $0.attempts >= 1 }
            #expect(waiting.state == .pending, "a 409 is not a refusal: the application waits")
            try await rig.simulator.changeFaults(PortalSimFaultsChange(holdFiling: false))

            let delivered = try await rig.delivered()
            guard case .filed(let first, replayed: false) = await earlier.value else {
                Issue.record("the earlier request was not filed")
                return
            }
            #expect(delivered.portalCode == first.portalCode)
            #expect(try await rig.filedOnce().portalCode == first.portalCode)
            #expect(delivered.attempts >= 2)
            let outcomes = try await rig.outcomes()
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.last == "replayed", "\(outcomes)")
        }
    }

    /// kioskd stopping (or a reload renewing the connection) while a request waits for its answer:
    /// the attempt is not counted and not blamed on the portal; the next forwarder files the
    /// application once.
    @Test func aForwarderStoppedMidRequestNeitherCountsTheAttemptNorBlamesThePortal() async throws {
        try await Rig.with("stopped", faults: .init(holdFiling: true), requestTimeoutSeconds: 60) { rig in
            let before = try await rig.entry()
            rig.startForwarding()
            try await eventually("the request is in flight") { try await rig.simulator.stats().inFlight == 1 }
            await rig.stopForwarding()

            let after = try await rig.entry()
            #expect(after.state == .pending)
            #expect(after.attempts == 0, "the attempt cut short was counted")
            #expect(after.lastError == nil, "the attempt cut short was recorded as an error: \(after.lastError ?? "")")
            #expect(after.nextAttemptAt == before.nextAttemptAt, "the application is no longer due as it was")

            try await rig.simulator.changeFaults(PortalSimFaultsChange(holdFiling: false))
            rig.startForwarding()
            let delivered = try await rig.delivered()
            #expect(delivered.portalCode == (try await rig.filedOnce()).portalCode)
        }
    }

    @Test func aPortalThatIsDownKeepsTheApplicationPendingAndGetsItWhenItIsBack() async throws {
        try await Rig.with("down", faults: .init(down: true)) { rig in
            rig.startForwarding()
            let waiting = try await rig.entry(until: "two attempts met the portal down") { $0.attempts >= 2 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError == "HTTP 503: Service unavailable")
            #expect(try await rig.simulator.applications().isEmpty)
            try await rig.simulator.changeFaults(PortalSimFaultsChange(down: false))

            let delivered = try await rig.delivered()
            #expect(delivered.portalCode == (try await rig.filedOnce()).portalCode)
            let outcomes = try await rig.outcomes()
            #expect(outcomes.filter { $0 == "down503" }.count >= 2)
            #expect(outcomes.last == "created")
        }
    }

    @Test func aPortalKilledMidRequestIsAskedAgainAfterItRestartsAndFilesOnce() async throws {
        // Held in flight until the kill: killed in the middle of processing, however loaded the machine.
        try await Rig.with("killed", faults: .init(holdFiling: true), requestTimeoutSeconds: 10) { rig in
            rig.startForwarding()
            try await eventually("the request is in flight") { try await rig.simulator.stats().inFlight == 1 }
            rig.simulator.kill()
            let waiting = try await rig.entry(until: "two attempts failed against the dead portal") { $0.attempts >= 2 }
            #expect(waiting.state == .pending)
            #expect(waiting.lastError?.hasPrefix("no answer: ") == true, "\(waiting.lastError ?? "no lastError")")
            try await rig.simulator.restart()
            try await rig.simulator.changeFaults(PortalSimFaultsChange(holdFiling: false))

            let delivered = try await rig.delivered()
            let filed = try await rig.filedOnce()
            #expect(delivered.portalCode == filed.portalCode)
            // The killed request was still processing, so it stored nothing: the request after the
            // restart filed it (the journal starts again with the restart).
            #expect(try await rig.outcomes() == ["created"])
        }
    }
}

/// One application in an outbox, portal-sim with some faults, and a forwarder for them (started
/// when the test says, so a test can reach the portal first). The portal's request journal is
/// ordered by arrival, so "the last request" is the one that arrived last.
private final class Rig: Sendable {
    let directory: URL
    let simulator: PortalSimulator
    let outbox: Outbox
    let client: PortalClient
    let forwarder: Forwarder
    let kioskCode: String
    private let running = Mutex<Task<Void, Never>?>(nil)

    private init(directory: URL, simulator: PortalSimulator, outbox: Outbox, client: PortalClient, forwarder: Forwarder,
                 kioskCode: String) {
        self.directory = directory
        self.simulator = simulator
        self.outbox = outbox
        self.client = client
        self.forwarder = forwarder
        self.kioskCode = kioskCode
    }

    /// Runs `body` with a new rig, then stops the forwarder, shuts the client down (an HTTP client
    /// must be shut down before it is released) and kills the simulator, whether `body` threw or not.
    static func with(_ purpose: String, faults: PortalSimFaults, requestTimeoutSeconds: Int = 5,
                     _ body: (Rig) async throws -> Void) async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-fault-\(purpose)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await PortalSimulator.start(in: try ForwarderTests.portalFolder(directory), options: .init(faults: faults))
        defer { simulator.kill() }
        let outbox = try OutboxTests.openOutbox(directory.appendingPathComponent("outbox"))
        let accepted = try await outbox.accept(OutboxTests.intake(pageBytes: 20_000), at: Date())
        var settings = ForwarderTests.portalSettings(simulator)
        settings.requestTimeoutSeconds = requestTimeoutSeconds
        let client = try PortalClient(settings: settings)
        let forwarder = ForwarderTests.forwarder(outbox, client, label: "forwarder-fault-test")
        let rig = Rig(directory: directory, simulator: simulator, outbox: outbox, client: client, forwarder: forwarder,
                      kioskCode: accepted.code.digits)
        let outcome: Result<Void, any Error>
        do {
            try await body(rig)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await rig.stopForwarding()
        await client.shutdown()
        try outcome.get()
    }

    func startForwarding() {
        let forwarder = forwarder
        running.withLock { $0 = Task { await forwarder.run() } }
    }

    /// Stops the forwarder as kioskd does at shutdown, and waits until it has stopped.
    func stopForwarding() async {
        let stopping = running.withLock { current in
            defer { current = nil }
            return current
        }
        stopping?.cancel()
        await stopping?.value
    }

    /// The application's entry now.
    func entry() async throws -> OutboxEntry {
        try #require(try await outbox.find(code: kioskCode))
    }

    /// The application's entry once `condition` holds for it.
    func entry(until what: String, _ condition: (OutboxEntry) -> Bool) async throws -> OutboxEntry {
        try await eventually(what) { condition(try await entry()) }
        return try await entry()
    }

    /// The entry once delivered.
    func delivered() async throws -> OutboxEntry {
        let entry = try await entry(until: "the application was delivered") { $0.state != .pending }
        #expect(entry.state == .delivered, "\(entry.state): \(entry.lastError ?? "")")
        #expect(entry.lastError == nil)
        return entry
    }

    /// What the portal holds: exactly this one application.
    func filedOnce() async throws -> PortalSimApplication {
        let filed = try await simulator.applications()
        #expect(filed.count == 1, "\(filed.count) applications filed")
        let application = try #require(filed.first)
        #expect(application.kioskCode == kioskCode)
        return application
    }

    /// The POSTs the portal recorded for `key` (this application's when nil), oldest first.
    func requests(key: String? = nil) async throws -> [PortalSimRequest] {
        var wanted = key
        if wanted == nil { wanted = try await entry().idempotencyKey }
        return try await simulator.requests().filter { $0.method == "POST" && $0.idempotencyKey == wanted }
    }

    /// How this application's POSTs ended, oldest first.
    func outcomes() async throws -> [String] {
        try await requests().map { $0.outcome ?? "?" }
    }

}
