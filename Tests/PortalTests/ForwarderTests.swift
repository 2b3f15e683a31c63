import Foundation
import KioskCore
import KioskHarness
import Logging
import Portal
import PortalAPI
import Testing

/// The forwarder against the real portal-sim over loopback: every accepted application reaches the
/// portal exactly once, through outages, error answers, lost answers and a portal restart.
@Suite struct ForwarderTests {
    /// A folder of its own for the simulator's database and log.
    static func portalFolder(_ directory: URL) throws -> URL {
        let folder = directory.appendingPathComponent("portal")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func portalSettings(_ simulator: PortalSimulator) -> PortalSettings {
        PortalSettings(baseURL: simulator.baseURL, caFile: nil, clientCertificate: nil, clientKey: nil,
                       connectTimeoutSeconds: 2, requestTimeoutSeconds: 5)
    }

    /// A forwarder on the tests' schedule: first retry after 0.1–0.2 s, doubling to at most 1–2 s.
    /// The production cap (`Forwarder.maximumDelay`, 5 minutes) is for a fleet after an outage. In a
    /// test, every attempt that fails while a simulator is slow to start (tens of seconds when the
    /// whole suite loads the machine) doubles the next step, so the retry after the portal is back
    /// could come minutes later. Retry-After is still honoured in full, and every check stays the same.
    static func forwarder(_ outbox: Outbox, _ client: PortalClient, label: String = "forwarder-test") -> Forwarder {
        Forwarder(outbox: outbox, client: client, retentionDays: 30, logger: Logger(label: label), firstRetryDelay: 0.2,
                  maximumRetryDelay: 2)
    }

    /// Accepts `count` applications, runs the forwarder until the portal holds them all (or the
    /// deadline), and returns what the portal holds and the outbox's own view. `settings` default
    /// to plain HTTP to `simulator` (`portalSettings`).
    static func forward(count: Int, to simulator: PortalSimulator, directory: URL, settings: PortalSettings? = nil,
                        during: @escaping @Sendable (Outbox) async throws -> Void = { _ in }) async throws -> ([PortalSimApplication], [OutboxEntry]) {
        let outbox = try OutboxTests.openOutbox(directory.appendingPathComponent("outbox"))
        var codes: [String] = []
        for _ in 0..<count {
            codes.append(try await outbox.accept(OutboxTests.intake(pageBytes: 20_000), at: Date()).code.digits)
        }
        let client = try PortalClient(settings: settings ?? portalSettings(simulator))
        let forwarder = forwarder(outbox, client)
        let running = Task { await forwarder.run() }
        try await during(outbox)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, try await outbox.summary().pending > 0 {
            try await Task.sleep(for: .milliseconds(200))
        }
        running.cancel()
        await running.value
        await client.shutdown()
        let entries = try await outbox.recent(limit: count + 10)
        #expect(Set(entries.map(\.kioskCode)) == Set(codes))
        return (try await simulator.applications(), entries)
    }

    @Test func everyApplicationArrivesOnceDespiteErrorsLostAnswersAndResets() async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-faults")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await PortalSimulator.start(
            in: try Self.portalFolder(directory),
            options: .init(faults: PortalSimFaults(errorRate: 0.2, resetRate: 0.15, errorAfterCommitRate: 0.2, unavailableRate: 0.1,
                                                   retryAfterSeconds: 1), seed: 7))
        let (filed, entries) = try await Self.forward(count: 30, to: simulator, directory: directory)
        _ = try await simulator.stop()
        #expect(entries.allSatisfy { $0.state == .delivered }, "\(entries.filter { $0.state != .delivered }.map(\.lastError))")
        #expect(filed.count == 30)
        #expect(Set(filed.map(\.kioskCode)).count == 30, "an application was filed twice")
        // Each kiosk entry records the portal's own code for it.
        let portalCodes = Dictionary(uniqueKeysWithValues: filed.map { ($0.kioskCode, $0.portalCode) })
        for entry in entries { #expect(entry.portalCode == portalCodes[entry.kioskCode]) }
        // The faults really happened: some applications needed more than one request.
        #expect(filed.contains { $0.postRequests > 1 })
        #expect(entries.contains { $0.attempts > 1 })
    }

    @Test func applicationsTakenDuringAnOutageAreAllDeliveredWhenThePortalReturns() async throws {
        let directory = try PackagePaths.temporaryDirectory("forwarder-outage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await PortalSimulator.start(in: try Self.portalFolder(directory))
        // The link is down for the whole intake and a while after it.
        simulator.kill()
        let (filed, entries) = try await Self.forward(count: 12, to: simulator, directory: directory) { outbox in
            // Down until every application has been tried at least once (a fixed wait was not
            // enough on a loaded machine), and a second more.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await outbox.recent(limit: 20).contains(where: { $0.attempts == 0 }) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(1))
            try await simulator.restart()
        }
        _ = try await simulator.stop()
        #expect(entries.allSatisfy { $0.state == .delivered })
        #expect(entries.allSatisfy { $0.attempts >= 2 }, "each was tried while the portal was down")
        #expect(filed.count == 12 && Set(filed.map(\.idempotencyKey)) == Set(entries.map(\.idempotencyKey)))
    }
}

/// Polls `condition` until it holds; fails the test after a deadline only a stuck forwarder or
/// simulator reaches (a bound on hanging, not a timing assertion). Shared by every portal suite.
func eventually(_ what: String, deadline: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}
