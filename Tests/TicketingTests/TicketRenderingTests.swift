import Foundation
import KioskCore
import KioskHarness
import Printing
import Testing

/// The ticket as drawn: what it says (the layout model), that Pango found every Vietnamese glyph,
/// that it fits the printer's width, and that its QR code reads back as the ticket's identity.
@Suite struct TicketRenderingTests {
    static let profile = try! ProfileFixtures.demo()

    static func ticket(priority: PriorityClass? = nil, sequence: Int = 12) -> IssuedTicket {
        IssuedTicket(recordID: 1, kioskID: "demo-01", day: LocalDate(year: 2026, month: 12, day: 4),
                     number: TicketNumber(prefix: "A", lane: priority == nil ? .ordinary : .priority, sequence: sequence),
                     priorityClass: priority, issuedAt: Date(timeIntervalSince1970: 1_796_380_200), waitingAhead: 4)
    }

    @Test func theTicketSaysPlaceServiceNumberPriorityWaitingAndTimeInVietnamese() {
        let layout = TicketLayout.layout(for: Self.ticket(priority: .elderly), profile: Self.profile, language: .vietnamese, dotsPerLine: 576)
        #expect(layout.texts == [
            "Ki-ốt dịch vụ công (trình diễn)", "Phòng thử nghiệm, Hà Nội", "Hộ tịch", "SỐ THỨ TỰ", "AU012",
            "Ưu tiên: Người cao tuổi", "Đang chờ trước: 4", "Lấy số lúc 17:30 ngày 04/12/2026",
            "Giữ vé này đến khi được gọi", "demo-01",
        ])
        #expect(layout.qrContents == ["KIOSKTICKET:demo-01:20261204:AU012"])
    }

    @Test func aCitizenWhoUsedEnglishAlsoGetsEnglishBesideTheVietnamese() {
        let layout = TicketLayout.layout(for: Self.ticket(), profile: Self.profile, language: .english, dotsPerLine: 576)
        #expect(layout.texts.contains("Hộ tịch") && layout.texts.contains("Civil status"))
        #expect(layout.texts.contains("SỐ THỨ TỰ / QUEUE NUMBER"))
        #expect(layout.texts.contains("Đang chờ trước: 4 / Waiting before you: 4"))
    }

    @Test(arguments: [576, 384])
    func theRasterFitsTheHeadAndItsQRCodeReadsBack(dots: Int) throws {
        let layout = TicketLayout.layout(for: Self.ticket(priority: .disabled), profile: Self.profile, language: .vietnamese, dotsPerLine: dots)
        let raster = try SlipRasterizer.render(layout)
        #expect(raster.width == dots)
        #expect(raster.height > dots, "a ticket is taller than wide")
        #expect(raster.inkCoverage > 0.05 && raster.inkCoverage < 0.5, "coverage \(raster.inkCoverage)")
        let folder = try PackagePaths.temporaryDirectory("ticket-png")
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("ticket.png").path
        try raster.writePNG(to: png)
        #expect(try Zbar.decode(png) == ["KIOSKTICKET:demo-01:20261204:AU012"])
    }

    @Test func textTheFontCannotShowIsRefusedNotPrintedAsBoxes() {
        // Supplementary private-use characters: no font a kiosk has draws them. (The BMP private-use
        // area is not safe: fonts-glyphicons-halflings, which prometheus pulls in, draws U+E001.)
        let layout = PrintLayout(width: 576, margin: 16, blocks: [.text("Số \u{F0000}\u{F0001}", size: 30, bold: false, alignment: .left)])
        #expect {
            _ = try SlipRasterizer.render(layout)
        } throws: { error in
            (error as? PrintingError)?.detail.contains("lacks 2 glyph") == true
        }
    }

    @Test func escposJobIsInitRasterBandsAndCut() throws {
        let raster = MonochromeRaster(width: 16, height: 300, bits: [UInt8](repeating: 0xA5, count: 2 * 300))
        let job = ESCPOS.ticket(raster)
        #expect(Array(job.prefix(2)) == [0x1B, 0x40])
        #expect(Array(job.suffix(4)) == [0x1D, 0x56, 66, 80])
        // 300 rows in bands of 128, 128, 44, each `GS v 0 0 xL xH yL yH` followed by its bytes.
        #expect(Array(job[2..<10]) == [0x1D, 0x76, 0x30, 0, 2, 0, 128, 0])
        #expect(Array(job[(10 + 256)..<(18 + 256)]) == [0x1D, 0x76, 0x30, 0, 2, 0, 128, 0])
        #expect(Array(job[(18 + 512)..<(26 + 512)]) == [0x1D, 0x76, 0x30, 0, 2, 0, 44, 0])
        #expect(job.count == 2 + 3 * 8 + 600 + 4)
    }

    @Test(arguments: [
        // (DLE EOT 1, 2, 3, 4 answers, fault, paper, summary)
        ([0x16, 0x12, 0x12, 0x12], nil, PaperState.full, "ready"),
        ([0x16, 0x12, 0x12, 0x1E], nil, PaperState.low, "paper-near-end"),
        ([0x1E, 0x32, 0x12, 0x7E], TicketPrintFailure.paperOut, PaperState.out, "offline,paper-end"),
        ([0x1E, 0x16, 0x12, 0x12], TicketPrintFailure.coverOpen, PaperState.full, "offline,cover-open"),
        ([0x1E, 0x52, 0x1A, 0x12], TicketPrintFailure.printerFault, PaperState.full, "offline,cutter-error"),
        ([0x1E, 0x52, 0x32, 0x12], TicketPrintFailure.printerFault, PaperState.full, "offline,unrecoverable-error"),
        ([0x1E, 0x52, 0x52, 0x12], TicketPrintFailure.printerOffline, PaperState.full, "offline,auto-recoverable-error"),
    ] as [([UInt8], TicketPrintFailure?, PaperState, String)])
    func statusAnswersMapToWhatTheCitizenAndTechnicianAreTold(answers: [UInt8], fault: TicketPrintFailure?, paper: PaperState, summary: String) throws {
        let status = try #require(ESCPOSStatus(printer: answers[0], offlineCause: answers[1], errorCause: answers[2], paperSensor: answers[3]))
        #expect(status.fault == fault)
        #expect(status.paper == paper)
        #expect(status.summary == summary)
    }

    @Test func bytesThatAreNotStatusAnswersAreRejected() {
        #expect(ESCPOSStatus(printer: 0x00, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12) == nil)
        #expect(ESCPOSStatus(printer: 0x16, offlineCause: 0x12, errorCause: 0xFF, paperSensor: 0x12) == nil)
    }
}
