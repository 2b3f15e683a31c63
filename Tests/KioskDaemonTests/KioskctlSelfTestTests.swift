import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl selftest`: every device does its job once, for real, with a pass/fail line and the reason.
@Suite struct KioskctlSelfTestTests {
    @Test func everyDeviceDoesItsJobOnceAndAFaultIsNamed() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-selftest")
        let socket = ["--socket", kiosk.controlSocket.path]
        let (status, table) = try ChildProcess.run(KioskctlTests.kioskctl, ["selftest"] + socket, capture: true)
        #expect(status == 0, "\(table)")
        for device in ["speech", "scanner", "receipt-printer", "ticket-printer"] {
            #expect(table.split(separator: "\n").contains { $0.hasPrefix(device) && $0.contains("PASS") }, "\(device) did not pass:\n\(table)")
        }
        #expect(table.contains("sample ticket A000 printed"))
        // The sample ticket came out of the printer and used up no queue number.
        let printed = kiosk.ticketPrinter.waitForTickets(1)
        #expect(try Zbar.decode(printed.map(\.image.path)).map { $0.hasSuffix(":A000") } == [true])
        let (_, today) = try ChildProcess.run(KioskctlTests.kioskctl, ["queue", "today"] + socket, capture: true)
        #expect(today.contains(": 0 numbers"), "\(today)")
        // The test phrase was spoken through the kiosk's own output.
        #expect(kiosk.waitForSpoken(timeout: .seconds(20)) { $0.text.hasPrefix("Kiểm tra loa của ki-ốt") } != nil)

        try kiosk.ticketPrinter.setState("paper-out")
        let (failedStatus, failed) = try ChildProcess.run(KioskctlTests.kioskctl, ["selftest", "ticket-printer"] + socket, capture: true)
        #expect(failedStatus == 1, "\(failed)")
        #expect(failed.contains("ticket-printer") && failed.contains("FAIL") && failed.contains("paper-out"), "\(failed)")
        #expect(!failed.contains("scanner"), "only the device asked for is tested")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}
