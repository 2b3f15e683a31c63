import Foundation
import KioskCore
import KioskHarness
import Logging
import Portal
import PortalAPI
import Synchronization
import Testing

/// A citizen looks their application up by code: the portal's word while the link is up, and what
/// the kiosk last heard when it is down (a van out of coverage), kept fresh by the status refresher.
/// Against the real portal-sim over loopback, its clerk moving statuses by hand.
@Suite struct StatusLookUpTests {
    /// An outbox with `count` applications the portal has confirmed, and the portal's codes for them.
    static func delivered(_ count: Int, to simulator: PortalSimulator, directory: URL) async throws
        -> (outbox: Outbox, client: PortalClient, codes: [(kiosk: String, portal: String)]) {
        let outbox = try OutboxTests.openOutbox(directory.appendingPathComponent("outbox"))
        for _ in 0..<count { _ = try await outbox.accept(OutboxTests.intake(pageBytes: 5_000), at: Date()) }
        let client = try PortalClient(settings: ForwarderTests.portalSettings(simulator))
        let forwarding = Task { await ForwarderTests.forwarder(outbox, client).run() }
        try await eventually("the portal confirmed every application") { try await outbox.summary().delivered == count }
        forwarding.cancel()
        await forwarding.value
        let entries = try await outbox.recent(limit: count).reversed()
        return (outbox, client, entries.map { ($0.kioskCode, $0.portalCode ?? "") })
    }

    @Test func aLookUpWithTheLinkDownAnswersWhatThePortalLastSaidAndWhen() async throws {
        let directory = try PackagePaths.temporaryDirectory("lookup-offline")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await PortalSimulator.start(in: try ForwarderTests.portalFolder(directory))
        let (outbox, client, codes) = try await Self.delivered(1, to: simulator, directory: directory)
        let lookUp = ApplicationStatusLookUp(outbox: outbox, client: client, timeout: 5, logger: Logger(label: "lookup-test"))
        let filed = codes[0]

        // Taken after the forwarder stopped: the kiosk says it is still to be sent, link or not.
        // Whole seconds, so the time read back from the outbox compares equal.
        let waiting = try await outbox.accept(OutboxTests.intake(pageBytes: 5_000),
                                              at: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))
        #expect(await lookUp.lookUp(code: waiting.code.digits) == .waitingToBeSent(acceptedAt: waiting.acceptedAt))

        // The office asks for a document; the citizen asks by the kiosk's code and hears it, current.
        let note = "Mang bản chính giấy chứng sinh"
        try await simulator.setStatus(.needsMoreDocuments, note: note, forCode: filed.portal)
        let heardAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
        #expect(await lookUp.lookUp(code: filed.kiosk, at: heardAt)
            == .status(.needsMoreDocuments, note: note, asOf: heardAt, current: true))

        // The link goes down: the same answer, said to be as of when it was heard, by either code.
        simulator.kill()
        for code in [filed.kiosk, filed.portal] {
            #expect(await lookUp.lookUp(code: code) == .status(.needsMoreDocuments, note: note, asOf: heardAt, current: false), "\(code)")
        }
        // A code this kiosk never took cannot be checked now; it is not called unknown.
        let stranger = "0099926120400019"
        #expect(await lookUp.lookUp(code: stranger) == .cannotCheckNow)
        #expect(await lookUp.lookUp(code: waiting.code.digits) == .waitingToBeSent(acceptedAt: waiting.acceptedAt))

        // Back up: a code neither knows is unknown.
        try await simulator.restart()
        #expect(await lookUp.lookUp(code: stranger) == .notFound)
        await client.shutdown()
        _ = try await simulator.stop()
    }

    @Test func theRefresherKeepsOfflineAnswersAsFreshAsTheLastTimeThePortalCouldBeAsked() async throws {
        let directory = try PackagePaths.temporaryDirectory("lookup-refresh")
        defer { try? FileManager.default.removeItem(at: directory) }
        let simulator = try await PortalSimulator.start(in: try ForwarderTests.portalFolder(directory))
        let (outbox, client, codes) = try await Self.delivered(3, to: simulator, directory: directory)
        // The refresher's clock is the test's: hours pass without waiting for them. Whole seconds,
        // so a time read back from the outbox compares equal.
        let clock = Mutex(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()))
        let advance = { (hours: Double) in clock.withLock { $0 = $0.addingTimeInterval(hours * 3600) } }
        let refresher = StatusRefresher(outbox: outbox, client: client, interval: 1800, requestTimeout: 5,
                                        logger: Logger(label: "refresher-test"), now: { clock.withLock { $0 } })

        // Nothing is due before its status is half an hour old.
        #expect(await refresher.refresh() == StatusRefresher.Round())

        // The office moves two of them on, with no citizen asking.
        try await simulator.setStatus(.resultReady, forCode: codes[0].portal)
        try await simulator.setStatus(.delivered, forCode: codes[1].portal)
        advance(1)
        #expect(await refresher.refresh() == StatusRefresher.Round(answered: 3, changed: 2))
        // Just heard: not asked again in the next round.
        #expect(await refresher.refresh() == StatusRefresher.Round())

        // An hour on, the one delivered to the citizen is no longer followed; the others are.
        advance(1)
        let lastHeard = clock.withLock { $0 }
        #expect(await refresher.refresh() == StatusRefresher.Round(answered: 2, changed: 0))

        // The link goes down: the round stops at once, saying why, and records nothing.
        simulator.kill()
        advance(1)
        let offline = await refresher.refresh()
        #expect(offline.answered == 0 && offline.unreachable?.contains("no answer") == true, "\(offline)")

        // A citizen at the van hears the status the refresher last heard, and as of when.
        let lookUp = ApplicationStatusLookUp(outbox: outbox, client: client, timeout: 5, logger: Logger(label: "lookup-test"))
        #expect(await lookUp.lookUp(code: codes[0].kiosk) == .status(.resultReady, note: nil, asOf: lastHeard, current: false))
        #expect(await lookUp.lookUp(code: codes[2].kiosk) == .status(.received, note: nil, asOf: lastHeard, current: false))
        let delivered = try #require(try await outbox.find(code: codes[1].kiosk))
        #expect(delivered.portalStatus == .delivered)
        #expect(await lookUp.lookUp(code: codes[1].kiosk) == .status(.delivered, note: nil, asOf: delivered.statusUpdatedAt!, current: false))
        await client.shutdown()
    }
}
