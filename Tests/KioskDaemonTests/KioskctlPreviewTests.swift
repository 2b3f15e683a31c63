import Foundation
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kioskctl preview`: a technician sees the kiosk's own ticket and receipt without printing or
/// issuing anything.
@Suite struct KioskctlPreviewTests {
    @Test func ticketAndReceiptPreviewsAreTheKiosksOwnLayouts() throws {
        let (kiosk, daemon) = try KioskctlTests.startedKiosk("ctl-preview")
        let ticket = kiosk.directory.appendingPathComponent("ticket.png").path
        let (ticketStatus, ticketOutput) = try ChildProcess.run(KioskctlTests.kioskctl, ["preview", "ticket", "--out", ticket,
                                                                                       "--socket", kiosk.controlSocket.path], capture: true)
        #expect(ticketStatus == 0, "\(ticketOutput)")
        #expect(ticketOutput.contains("ticket preview, image/png"))
        let codes = try Zbar.decode(ticket)
        #expect(codes.count == 1 && codes.first?.hasPrefix("KIOSKTICKET:demo-01:") == true && codes.first?.hasSuffix(":A000") == true,
                "\(codes)")

        let receipt = kiosk.directory.appendingPathComponent("receipt.pdf").path
        let (receiptStatus, _) = try ChildProcess.run(KioskctlTests.kioskctl, ["preview", "receipt", "--out", receipt, "--language", "en",
                                                                              "--socket", kiosk.controlSocket.path], capture: true)
        #expect(receiptStatus == 0)
        let (_, text) = try ChildProcess.run("/usr/bin/pdftotext", [receipt, "-"], capture: true)
        #expect(text.contains("APPLICATION RECEIPT") && text.contains("MAU-0000") && text.contains("Birth registration"), "\(text)")

        // Nothing was issued or printed.
        let (_, today) = try ChildProcess.run(KioskctlTests.kioskctl, ["queue", "today", "--socket", kiosk.controlSocket.path], capture: true)
        #expect(today.contains(": 0 numbers"), "\(today)")
        #expect(kiosk.ticketPrinter.printedTickets.isEmpty)

        let (badStatus, badOutput) = try ChildProcess.run(KioskctlTests.kioskctl, ["preview", "receipt", "--out", "/proc/no/such/file.pdf",
                                                                                  "--socket", kiosk.controlSocket.path], capture: true)
        #expect(badStatus == 73 && badOutput.contains("cannot write /proc/no/such/file.pdf"), "\(badOutput)")
        daemon.send(SIGTERM)
        #expect(daemon.waitForExit(timeout: .seconds(3)) == 0)
    }
}
