import KioskCore
import KioskHarness
import Printing
import Testing

/// libcups, for real, against the private scheduler the stand-ins run on their own socket.
@Suite struct CUPSBindingTests {
    @Test func libcupsListsThePrivateSchedulersReceiptQueue() async throws {
        let standIns = try StandIns.fromEnvironment()
        let cups = CUPSQueues()
        #expect(await cups.serverName() == standIns.cupsServer)
        let queues = try await cups.queues()
        let receipt = try #require(queues.first { $0.name == "receipt" })
        #expect(receipt.isAcceptingJobs)
        #expect(receipt.state == 3, "an idle queue has printer-state 3")
    }

    @Test func receiptPrinterStatusComesFromTheQueue() async throws {
        _ = try StandIns.fromEnvironment()
        let cups = CUPSQueues()
        let present = await cups.status(for: ReceiptPrinterSettings(cupsQueue: "receipt", rollWidthMillimetres: 80, staleJobSeconds: 60))
        #expect(present.state == .online)
        #expect(present.paper == .full)
        let absent = await cups.status(for: ReceiptPrinterSettings(cupsQueue: "no-such-queue", rollWidthMillimetres: 80, staleJobSeconds: 60))
        #expect(absent.state == .noDevice)
        #expect(absent.detail.contains("receipt"), "the technician sees which queues exist")
    }

    @Test(arguments: [
        (["media-empty-error"], 3, true, DeviceState.online, PaperState.out),
        (["media-jam-error"], 3, true, .online, .jammed),
        (["media-low-report"], 4, true, .busy, .low),
        (["paused"], 5, false, .offline, .full),
        (["door-open-error"], 3, true, .userError, .full),
        (["offline-report"], 3, true, .offline, .full),
    ])
    func printerStateReasonsMapToTheStatusModel(reasons: [String], state: Int, accepting: Bool,
                                                expectedState: DeviceState, expectedPaper: PaperState) {
        let queue = CUPSQueueInfo(name: "receipt", state: state, stateReasons: reasons, isAcceptingJobs: accepting)
        let status = CUPSQueues.status(of: queue, identity: "receipt")
        #expect(status.state == expectedState)
        #expect(status.paper == expectedPaper)
    }
}
