import Foundation
import KioskCore
import KioskHarness
import Scanning
import Synchronization
import Testing

/// libsane runs in kiosk-scan-helper, supervised by the scanner: a helper that freezes (as SANE's
/// test backend can, cancelling its reader inside malloc) or dies mid-scan costs the citizen one
/// failed scan, told as a scanner fault, and the next scan works; a slow scanner that keeps
/// delivering is never mistaken for a frozen one.
@Suite(.serialized) struct ScanHelperSupervisionTests {
    init() throws {
        _ = try StandIns.fromEnvironment()
    }

    /// A 600 dpi page of 200 x 200 mm (22 MB) the backend delivers at about 280 KB/s: over a minute
    /// long, so it is surely still coming in when the test acts on its helper.
    static func slowPage(answerTimeoutSeconds: Int) -> ScannerSettings {
        ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 600, pageSize: .a4,
                        backendOptions: ["read-delay": "true", "read-delay-duration": "200000",
                                         "read-limit": "true", "read-limit-size": "4096"],
                        answerTimeoutSeconds: answerTimeoutSeconds)
    }

    static let quickPage = ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 100, pageSize: .idCard)

    /// Starts a scan and, half a second after its helper appears, sends the helper `signal`.
    /// The timing runs on a thread of its own: the suite's blocking tests can hold the cooperative
    /// pool for minutes, so a sleep there could outlast even this slow page, and the scan's own task
    /// may wait that long to start (so there is no deadline for the helper to appear: the scan
    /// either starts one or ends).
    static func signalHelperMidScan(_ scanner: SANEScanner, _ signal: Int32) async throws
        -> (helper: Int32, scan: Task<ScannedPage, any Error>) {
        let scanOver = Flag()
        let scan = Task { () async throws -> ScannedPage in
            defer { scanOver.raise() }
            return try await scanner.scanPage()
        }
        let signalled: (Int32, Int32)? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                while scanner.helperProcessID == nil && !scanOver.isRaised { Thread.sleep(forTimeInterval: 0.02) }
                guard let helper = scanner.helperProcessID else { return continuation.resume(returning: nil) }
                Thread.sleep(forTimeInterval: 0.5)
                continuation.resume(returning: (helper, kill(helper, signal)))
            }
        }
        guard let (helper, result) = signalled else {
            let outcome = await scan.result
            Issue.record("the scan ended without starting a helper: \(outcome)")
            throw CancellationError()
        }
        #expect(result == 0, "kill \(helper) failed")
        return (helper, scan)
    }

    static func isGone(_ processID: Int32) -> Bool {
        kill(processID, 0) != 0 && errno == ESRCH
    }

    @Test func aFrozenScannerProcessIsStoppedTheCitizenToldAndTheNextScanWorks() async throws {
        let scanner = SANEScanner(settings: Self.slowPage(answerTimeoutSeconds: 2))
        // Frozen as by a locked allocator: alive, answering nothing.
        let (helper, scan) = try await Self.signalHelperMidScan(scanner, SIGSTOP)
        let result = await scan.result
        let failure = try #require(result.failure as? ScanFailure, "the frozen scan did not fail: \(result.map { "\($0.width) x \($0.height) page" })")
        #expect(failure.fault == .ioError, "\(failure)")
        #expect(failure.fault.prompt == .scanFailed)
        #expect(failure.detail.contains("no sign of life for 2 s"), "\(failure.detail)")
        #expect(failure.detail.contains("pid \(helper)"), "\(failure.detail)")
        #expect(Self.isGone(helper), "the frozen helper \(helper) was left behind")
        #expect(scanner.helperProcessID == nil)

        await scanner.reconfigure(Self.quickPage)
        let page = try await scanner.scanPage()
        #expect(page.width > 0 && page.height > 0)
        let fresh = try #require(scanner.helperProcessID)
        #expect(fresh != helper)
        let status = await scanner.status()
        #expect(status.state == .online, "\(status)")
        #expect(status.detail.contains("restarted 1 time(s)") && status.detail.contains("no sign of life"), "\(status.detail)")
    }

    @Test func aScannerProcessThatDiesMidPageIsReportedAndReplaced() async throws {
        let scanner = SANEScanner(settings: Self.slowPage(answerTimeoutSeconds: 60))
        let (helper, scan) = try await Self.signalHelperMidScan(scanner, SIGKILL)
        let failure = try #require(await scan.result.failure as? ScanFailure, "the scan outlived its helper")
        #expect(failure.fault == .ioError, "\(failure)")
        // Told that the helper died, not that it went silent for the 60 s answer time.
        #expect(failure.detail.contains("pid \(helper)) was ended by signal 9"), "\(failure.detail)")

        await scanner.reconfigure(Self.quickPage)
        let page = try await scanner.scanPage()
        #expect(page.width > 0)
        #expect(scanner.helperProcessID != helper)
    }

    /// The backend pauses 0.2 s between reads and delivers this 1.1 MB card at 400 dpi in about 4 s,
    /// longer than the 2 s answer time: the helper's progress reports are what keep it alive.
    @Test func aSlowScannerThatKeepsDeliveringIsNotTakenForFrozen() async throws {
        let card = ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 400, pageSize: .idCard)
        let whole = try await SANEScanner(settings: card).scanPage()
        var slowly = card
        slowly.backendOptions = ["read-delay": "true", "read-delay-duration": "200000", "read-limit": "true", "read-limit-size": "4096"]
        slowly.answerTimeoutSeconds = 2
        let scanner = SANEScanner(settings: slowly)
        let started = ContinuousClock.now
        let page = try await scanner.scanPage()
        let took = ContinuousClock.now - started
        #expect(page == whole, "the slow page is not the card a quick scan gives")
        #expect(took > .seconds(2), "the page came in \(took), within one answer time: the test proves nothing")
        let status = await scanner.status()
        #expect(!status.detail.contains("restarted"), "\(status.detail)")
    }
}

/// Set once, read from any thread.
final class Flag: Sendable {
    private let raised = Mutex(false)

    func raise() { raised.withLock { $0 = true } }
    var isRaised: Bool { raised.withLock { $0 } }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
