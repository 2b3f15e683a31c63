import Foundation
import KioskCore
import Testing

/// The menu offers only what the kiosk's devices and hours can deliver right now.
@Suite struct KioskFunctionTests {
    @Test func everythingIsOfferedWhenEverythingWorks() {
        #expect(KioskFunction.available(profile: TestProfiles.kiosk(), devices: TestProfiles.allWorking, at: Date())
            == [.takeTicket, .submitApplication, .lookUpApplication, .help])
    }

    @Test func noTicketsWithoutATicketPrinter() {
        let devices = TestProfiles.allWorking.filter { $0.kind != .ticketPrinter }
        #expect(!KioskFunction.available(profile: TestProfiles.kiosk(), devices: devices, at: Date()).contains(.takeTicket))
    }

    @Test func noTicketsWhenTicketPaperIsOut() {
        let devices = TestProfiles.allWorking.map { $0.kind == .ticketPrinter ? TestProfiles.device(.ticketPrinter, .online, paper: .out) : $0 }
        #expect(!KioskFunction.available(profile: TestProfiles.kiosk(), devices: devices, at: Date()).contains(.takeTicket))
    }

    @Test func noApplicationsWhenTheReceiptPrinterIsJammed() {
        let devices = TestProfiles.allWorking.map { $0.kind == .receiptPrinter ? TestProfiles.device(.receiptPrinter, .online, paper: .jammed) : $0 }
        #expect(KioskFunction.available(profile: TestProfiles.kiosk(), devices: devices, at: Date())
            == [.takeTicket, .lookUpApplication, .help])
    }

    @Test func outsideOpeningHoursApplicationsStillWorkButTicketsDoNot() {
        let closedAllWeek = OpeningHours(periods: [:])
        #expect(KioskFunction.available(profile: TestProfiles.kiosk(hours: closedAllWeek), devices: TestProfiles.allWorking, at: Date())
            == [.submitApplication, .lookUpApplication, .help])
    }

    @Test func helpIsAlwaysOffered() {
        #expect(KioskFunction.available(profile: TestProfiles.kiosk(services: false, procedures: false), devices: [], at: Date())
            == [.lookUpApplication, .help])
    }
}
