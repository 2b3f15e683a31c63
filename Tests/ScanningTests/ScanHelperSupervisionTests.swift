import Foundation
import KioskCore
import KioskHarness
import Scanning
import Testing

/// libsane runs in kiosk-scan-helper, supervised by the scanner: a helper that freezes (as SANE's
/// test backend can, cancelling its reader inside malloc) or dies mid-scan costs the citizen one
/// failed scan, told as a scanner fault, and the next scan works; a slow scanner that keeps
/// delivering is never mistaken for a frozen one.
@Suite(.serialized) struct ScanHelperSupervisionTests {
    init() throws {
        _ = try StandIns.fromEnvironment()
    }

    /// A 300 dpi page delivered 4 KB per 0.2 s: minutes long, so it is surely still coming in
    /// when the test acts on its helper.
    static func slowPage(answerTimeoutSeconds: Int) -> ScannerSettings {
        ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 300, pageSize: .a4,
                        backendOptions: ["read-delay": "true", "read-delay-duration": "200000",
                                         "read-limit": "true", "read-limit-size": "4096"],
                        answerTimeoutSeconds: answerTimeoutSeconds)
    }

    static let quickPage = ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 100, pageSize: .idCard)

    /// Starts a scan and returns once its helper has been running for a moment.
    static func scanUnderWay(_ scanner: SANEScanner) async throws
        -> (helper: Int32, scan: Task<ScannedPage, any Error>) {
        let scan = Task { () async throws -> ScannedPage in try await scanner.scanPage() }
        for _ in 0..<200 where scanner.helperProcessID == nil {
            try await Task.sleep(for: .milliseconds(25))
        }
        let helper = try #require(scanner.helperProcessID, "no scanner helper was started")
        try await Task.sleep(for: .milliseconds(500))
        return (helper, scan)
    }

    static func isGone(_ processID: Int32) -> Bool {
        kill(processID, 0) != 0 && errno == ESRCH
    }

    @Test func aFrozenScannerProcessIsStoppedTheCitizenToldAndTheNextScanWorks() async throws {
        let scanner = SANEScanner(settings: Self.slowPage(answerTimeoutSeconds: 2))
        let (helper, scan) = try await Self.scanUnderWay(scanner)
        // Frozen as by a locked allocator: alive, answering nothing.
        #expect(kill(helper, SIGSTOP) == 0)
        let failure = try #require(await scan.result.failure as? ScanFailure, "the frozen scan did not fail")
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
        let (helper, scan) = try await Self.scanUnderWay(scanner)
        #expect(kill(helper, SIGKILL) == 0)
        let started = ContinuousClock.now
        let failure = try #require(await scan.result.failure as? ScanFailure, "the scan outlived its helper")
        #expect(failure.fault == .ioError, "\(failure)")
        #expect(failure.detail.contains("pid \(helper)) was ended by signal 9"), "\(failure.detail)")
        // Told when the helper died, not after the 60 s answer time.
        #expect(ContinuousClock.now - started < .seconds(30))

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

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
