import ControlProtocol
import Foundation
import KioskCore
import KioskHarness
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The USB ticket printer's faults through a running kioskd and its emulated printer: paper out
/// before and during a ticket, cover open, unplugged mid-job and plugged back. A ticket that did
/// not print is void and never comes out later; the rest of the kiosk keeps serving.
@Suite struct TicketPrinterFaultTests {
    static let kioskctl = PackagePaths.products.appendingPathComponent("kioskctl").path

    /// The ticket printer as `kioskctl status --json` reports it to a technician.
    static func ticketPrinterStatus(_ kiosk: DemoKiosk) throws -> KioskStatusReport.Device? {
        let (_, output) = try ChildProcess.run(kioskctl, ["status", "--json", "--socket", kiosk.controlSocket.path], capture: true)
        return try JSONDecoder().decode(KioskStatusReport.self, from: Data(output.utf8)).devices.first { $0.kind == "ticket-printer" }
    }

    /// Waits until the ticket printer's reported status matches.
    static func waitForPrinter(_ kiosk: DemoKiosk, timeout: Duration = .seconds(10),
                               _ predicate: (KioskStatusReport.Device) -> Bool) throws -> KioskStatusReport.Device? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let device = try ticketPrinterStatus(kiosk), predicate(device) { return device }
            usleep(100_000)
        }
        return try ticketPrinterStatus(kiosk)
    }

    /// A running demo kiosk and a technician's kioskctl against it.
    struct Kiosk {
        let kiosk: DemoKiosk
        let daemon: DaemonProcess

        init(_ purpose: String) throws {
            kiosk = try DemoKiosk(purpose: purpose)
            daemon = try kiosk.start()
            guard kiosk.waitUntilReady() != nil else { throw ChildProcess.Failure(description: "no READY: \(daemon.standardError)") }
        }

        var printer: TicketPrinterEmulator { kiosk.ticketPrinter }

        func kioskctl(_ arguments: String...) throws -> (status: Int32, output: String) {
            try ChildProcess.run(TicketPrinterFaultTests.kioskctl, arguments + ["--socket", kiosk.controlSocket.path], capture: true)
        }

        /// `kioskctl queue issue SERVICE --json`: the ticket as the daemon reported it, and kioskctl's exit status.
        func issue(_ service: String) throws -> (status: Int32, ticket: QueueReport.Ticket?) {
            let (status, output) = try kioskctl("queue", "issue", service, "--json")
            let json = output.split(separator: "\n").drop { !$0.hasPrefix("{") }.joined(separator: "\n")
            return (status, try? JSONDecoder().decode(QueueReport.self, from: Data(json.utf8)).tickets.first)
        }

        func ticketPrinterStatus() throws -> KioskStatusReport.Device? {
            try TicketPrinterFaultTests.ticketPrinterStatus(kiosk)
        }

        func offering() throws -> [String] {
            let (_, output) = try kioskctl("status", "--json")
            return try JSONDecoder().decode(KioskStatusReport.self, from: Data(output.utf8)).offering
        }

        /// Waits until the ticket printer's reported status matches.
        @discardableResult
        func waitForPrinter(timeout: Duration = .seconds(10), _ predicate: (KioskStatusReport.Device) -> Bool) throws -> KioskStatusReport.Device? {
            try TicketPrinterFaultTests.waitForPrinter(kiosk, timeout: timeout, predicate)
        }

        func stop() {
            daemon.send(SIGTERM)
            _ = daemon.waitForExit(timeout: .seconds(3))
        }
    }

    @Test func paperOutBeforeTheTicketVoidsItAndTheRefillDoesNotPrintIt() throws {
        let kiosk = try Kiosk("ticket-paper-out")
        defer { kiosk.stop() }
        try kiosk.printer.setState("paper-out")
        let seen = try kiosk.waitForPrinter { $0.paper == "out" }
        #expect(seen?.state == "offline" && seen?.detail.contains("paper-end") == true, "\(String(describing: seen))")
        #expect(try !kiosk.offering().contains("take-ticket"), "tickets are offered with no paper")

        let (status, ticket) = try kiosk.issue("A")
        #expect(status == 75)
        #expect(ticket?.number == "A001" && ticket?.state == "void" && ticket?.voidReason == "paper-out")
        #expect(kiosk.daemon.standardError.contains("ticket not printed; number kept void") )

        try kiosk.printer.setState("online")
        #expect(try kiosk.waitForPrinter { $0.state == "online" && $0.paper == "full" } != nil)
        #expect(try kiosk.offering().contains("take-ticket"))
        // The refill must not bring out A001 for a citizen who has left.
        Thread.sleep(forTimeInterval: 1)
        #expect(kiosk.printer.printedTickets.isEmpty)

        let (nextStatus, next) = try kiosk.issue("A")
        #expect(nextStatus == 0 && next?.number == "A002" && next?.state == "printed")
        let printed = kiosk.printer.waitForTickets(1)
        #expect(try Zbar.decode(printed.map(\.image.path)).map { $0.hasSuffix(":A002") } == [true])
        let (_, today) = try kiosk.kioskctl("queue", "today")
        #expect(today.contains("2 numbers, 1 printed, 1 void"), "\(today)")
        #expect(today.contains("void (paper-out)"))
    }

    @Test func paperRunningOutMidTicketIsClearedAndNeverFinishedAfterTheRefill() throws {
        let kiosk = try Kiosk("ticket-paper-mid")
        defer { kiosk.stop() }
        try kiosk.printer.setState("paper-out-after=3000")
        let (status, ticket) = try kiosk.issue("C")
        #expect(status == 75)
        #expect(ticket?.number == "C001" && ticket?.state == "void" && ticket?.voidReason == "paper-out", "\(String(describing: ticket))")
        // What came out before the paper ran out was torn off when the buffers were cleared.
        let torn = kiosk.printer.waitForTickets(1)
        #expect(torn.count == 1 && torn.first?.torn == true)

        try kiosk.printer.setState("online")
        #expect(try kiosk.waitForPrinter { $0.state == "online" } != nil)
        Thread.sleep(forTimeInterval: 1)
        #expect(kiosk.printer.printedTickets.filter { !$0.torn }.isEmpty, "the rest of C001 printed after the refill")

        let (_, next) = try kiosk.issue("C")
        #expect(next?.number == "C002" && next?.state == "printed")
        let whole = kiosk.printer.waitForTickets(2).filter { !$0.torn }
        #expect(try Zbar.decode(whole.map(\.image.path)).map { $0.hasSuffix(":C002") } == [true])
    }

    @Test func anOpenCoverIsAUserErrorAndClosingItBringsTicketsBack() throws {
        let kiosk = try Kiosk("ticket-cover")
        defer { kiosk.stop() }
        try kiosk.printer.setState("cover-open")
        let seen = try kiosk.waitForPrinter { $0.state == "userError" }
        #expect(seen?.detail.contains("cover-open") == true)
        let (_, ticket) = try kiosk.issue("B")
        #expect(ticket?.state == "void" && ticket?.voidReason == "cover-open")
        try kiosk.printer.setState("online")
        #expect(try kiosk.waitForPrinter { $0.state == "online" } != nil)
        let (_, next) = try kiosk.issue("B")
        #expect(next?.number == "B002" && next?.state == "printed")
    }

    @Test func unpluggedMidJobTheCitizenIsToldAndReplugBringsTicketsBack() throws {
        let kiosk = try DemoKiosk(purpose: "ticket-unplug")
        let terminal = try kiosk.startInTerminal()
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("5")
        try terminal.waitFor("1   Lấy số thứ tự")
        // The printer stops taking data, and is pulled out while the ticket is on its way.
        try kiosk.ticketPrinter.setState("buffer-full")
        try terminal.type("1")
        try terminal.waitFor("Chọn lĩnh vực cần lấy số thứ tự")
        try terminal.type("3")
        try terminal.waitFor("Đang in số thứ tự")
        Thread.sleep(forTimeInterval: 0.5)
        try kiosk.ticketPrinter.setState("unplugged")
        let failed = try terminal.waitFor("Số thứ tự của quý khách là C001")
        #expect(failed.contains("Máy in vé đang gặp sự cố nên không in được vé.") && failed.contains("1   In lại vé"), "\(failed)")
        try terminal.type("#")
        try terminal.waitFor("Xin chào quý khách")
        try terminal.type("5")
        // The menu no longer offers tickets; everything else is still there.
        let menu = try terminal.waitFor("1   Nộp hồ sơ")
        #expect(!menu.contains("Lấy số thứ tự") && menu.contains("Tra cứu hồ sơ"), "\(menu)")
        // The job may have failed as "no answer" before the printer was gone; the technician is told
        // it is gone once the daemon next looks at it.
        let gone = try Self.waitForPrinter(kiosk) { $0.state == "noDevice" }
        #expect(gone?.state == "noDevice", "\(String(describing: gone))")

        // Plugged back in (with a new USB address): the menu on screen is read again with tickets.
        try kiosk.ticketPrinter.setState("online")
        try terminal.waitFor("1   Lấy số thứ tự", timeout: .seconds(10))
        try terminal.type("1")
        try terminal.waitFor("Chọn lĩnh vực cần lấy số thứ tự")
        try terminal.type("3")
        try terminal.waitFor("Số thứ tự của quý khách là C002")
        let printed = kiosk.ticketPrinter.waitForTickets(1).filter { !$0.torn }
        #expect(try Zbar.decode(printed.map(\.image.path)).map { $0.hasSuffix(":C002") } == [true])
        #expect(kiosk.terminalLog.contains("device unavailable") && kiosk.terminalLog.contains("state=noDevice"))
        #expect(kiosk.terminalLog.contains("device usable again"))
    }

    @Test func whileTicketsAreOutEveryOtherFunctionIsStillOffered() throws {
        let kiosk = try Kiosk("ticket-others")
        defer { kiosk.stop() }
        try kiosk.printer.setState("unplugged")
        #expect(try kiosk.waitForPrinter { $0.state == "noDevice" } != nil)
        #expect(try kiosk.offering() == ["submit-application", "look-up", "help"])
    }
}
