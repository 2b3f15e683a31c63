import Foundation
import KioskCore
import KioskHarness
import Printing
import ProfileLoading
import Testing

/// Receipts: what they say, drawn to PDF with Pango, printed through libcups on the stand-ins'
/// private cupsd, captured, read back with pdftotext and zbarimg; out of paper, the job is
/// reported and cancelled, never printed after the refill.
@Suite(.serialized) struct ReceiptPrintingTests {
    let standIns: StandIns
    let profile: KioskProfile

    init() throws {
        standIns = try StandIns.fromEnvironment()
        profile = try ProfileLoader.load(path: PackagePaths.profile("demo").path)
    }

    func receipt(code: String = "HN-2612-0042") throws -> ApplicationReceipt {
        let procedure = try #require(profile.procedures.first { $0.code == "1.001193" })
        return ApplicationReceipt(applicationCode: code, procedure: procedure, submittedAt: Date(timeIntervalSince1970: 1_796_380_200),
                                  documents: procedure.requiredDocuments, pageCount: 3,
                                  expectedResultDate: LocalDate(year: 2026, month: 12, day: 7), delivery: .byPost, hotline: "1900 1234")
    }

    @Test func theReceiptSaysWhatWasReceivedAndWhatHappensNext() throws {
        let layout = ReceiptLayout.layout(for: try receipt(), profile: profile, language: .vietnamese, rollWidthMillimetres: 80)
        #expect(layout.width == 576)
        for text in ["GIẤY TIẾP NHẬN HỒ SƠ", "HN-2612-0042", "Thủ tục: Đăng ký khai sinh (1.001193)", "Nộp lúc 17:30 ngày 04/12/2026",
                     "• Giấy chứng sinh", "Số trang đã quét: 3", "Ngày hẹn trả kết quả: 07/12/2026",
                     "Nhận kết quả: qua dịch vụ bưu chính công ích", "Lệ phí: miễn phí", "Đường dây nóng: 1900 1234"] {
            #expect(layout.texts.contains(text), "missing \(text): \(layout.texts)")
        }
        #expect(layout.qrContents == ["HN-2612-0042"])
        let english = ReceiptLayout.layout(for: try receipt(), profile: profile, language: .english, rollWidthMillimetres: 58)
        #expect(english.width == 384)
        #expect(english.texts.contains("APPLICATION RECEIPT") && english.texts.contains("Result delivered: by public post"))
    }

    @Test func aReceiptPrintedThroughCUPSKeepsItsVietnameseTextAndQRCode() async throws {
        let layout = ReceiptLayout.layout(for: try receipt(code: "HN-2612-0077"), profile: profile, language: .vietnamese,
                                          rollWidthMillimetres: 80)
        let pdf = try SlipPDF.render(layout)
        let settings = ReceiptPrinterSettings(cupsQueue: "receipt", rollWidthMillimetres: 80, staleJobSeconds: 30)
        let printer = CUPSReceiptPrinter()
        let job = try await printer.print(pdf: pdf, title: "receipt HN-2612-0077", settings: settings)
        let captured = URL(fileURLWithPath: standIns.directory).appendingPathComponent("cups/out/job-\(job).bin")
        #expect(FileManager.default.fileExists(atPath: captured.path), "job \(job) completed but nothing was captured")

        let (status, text) = try ChildProcess.run("/usr/bin/pdftotext", ["-layout", captured.path, "-"], capture: true)
        #expect(status == 0)
        for expected in ["GIẤY TIẾP NHẬN HỒ SƠ", "HN-2612-0077", "Đăng ký khai sinh", "Giấy chứng sinh", "Ngày hẹn trả kết quả: 07/12/2026",
                         "bưu chính công ích", "Đường dây nóng: 1900 1234"] {
            #expect(text.contains(expected), "pdftotext lacks \(expected):\n\(text)")
        }
        let folder = try PackagePaths.temporaryDirectory("receipt-png")
        defer { try? FileManager.default.removeItem(at: folder) }
        let prefix = folder.appendingPathComponent("page").path
        _ = try ChildProcess.run("/usr/bin/pdftoppm", ["-r", "203", "-png", "-singlefile", captured.path, prefix], capture: true)
        #expect(try Zbar.decode(prefix + ".png") == ["HN-2612-0077"])
    }

    /// The printer reports a fault through CUPS (the stand-in backend's printer-state reason): the
    /// receipt is reported with the citizen's prompt for it and cancelled, and once the fault is
    /// cleared only the next receipt prints.
    @Test(arguments: [("media-empty", ReceiptPrintFailure.paperOut, PromptKey.receiptFailedPaperOut),
                      ("media-jam", .jammed, .receiptFailedPrinter),
                      ("door-open", .coverOpen, .receiptFailedPrinter)])
    func aPrinterFaultIsReportedAndTheJobCancelledNotPrintedAfterItIsCleared(reason: String, failure: ReceiptPrintFailure,
                                                                              prompt: PromptKey) async throws {
        let out = URL(fileURLWithPath: standIns.directory).appendingPathComponent("cups/out-faults")
        let flag = out.appendingPathComponent(reason)
        try Data().write(to: flag)
        defer { try? FileManager.default.removeItem(at: flag) }
        let job = try await printExpectingCancellation(code: "HN-2612-0099", staleJobSeconds: 4) { error in
            #expect(error.failure == failure, "\(error)")
            #expect(error.failure.prompt == prompt)
            #expect(error.detail.contains(reason), "\(error.detail)")
            switch failure {
            case .paperOut: #expect(error.status?.paper == .out, "\(String(describing: error.status))")
            case .jammed: #expect(error.status?.paper == .jammed, "\(String(describing: error.status))")
            default: #expect(error.status?.state == .userError, "\(String(describing: error.status))")
            }
        }
        // Cleared: the queue works again, and the cancelled receipt never comes out.
        try FileManager.default.removeItem(at: flag)
        try await expectOnlyTheNextReceiptPrints(after: job)
    }

    static let faultQueue = "receipt-faults"

    /// Prints a receipt on the fault queue expecting it not to print: it must be cancelled (never
    /// left to come out later) and `check` looks at why. Returns the cancelled job.
    func printExpectingCancellation(code: String, staleJobSeconds: Int,
                                    check: (ReceiptPrintError) -> Void) async throws -> Int32 {
        let settings = ReceiptPrinterSettings(cupsQueue: Self.faultQueue, rollWidthMillimetres: 80, staleJobSeconds: staleJobSeconds)
        let printer = CUPSReceiptPrinter()
        let pdf = try faultReceiptPDF(code: code)
        var cancelledJob: Int32?
        do {
            _ = try await printer.print(pdf: pdf, title: "receipt \(code)", settings: settings)
            Issue.record("receipt \(code) printed despite the fault")
        } catch {
            check(error)
            #expect(error.detail.contains("cancelled"), "\(error.detail)")
            cancelledJob = Int32(error.detail.split(separator: " ")[1])
        }
        let job = try #require(cancelledJob)
        #expect(await printer.state(ofJob: job, queue: Self.faultQueue) == .canceled)
        return job
    }

    /// The fault is cleared: the next receipt prints and the cancelled one never comes out.
    func expectOnlyTheNextReceiptPrints(after cancelled: Int32) async throws {
        let out = URL(fileURLWithPath: standIns.directory).appendingPathComponent("cups/out-faults")
        let next = try await CUPSReceiptPrinter().print(
            pdf: try faultReceiptPDF(code: "HN-2612-0100"), title: "receipt after the fault",
            settings: ReceiptPrinterSettings(cupsQueue: Self.faultQueue, rollWidthMillimetres: 80, staleJobSeconds: 30))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("job-\(next).bin").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("job-\(cancelled).bin").path),
                "the cancelled receipt printed once the fault was cleared")
    }

    func faultReceiptPDF(code: String) throws -> Data {
        try SlipPDF.render(ReceiptLayout.layout(for: try receipt(code: code), profile: profile, language: .vietnamese,
                                                rollWidthMillimetres: 80))
    }

    /// A technician (or CUPS after a backend error) paused the queue: the kiosk sees the receipt
    /// printer offline, a receipt that cannot start is cancelled rather than left to print for
    /// nobody, and once the queue is resumed only new receipts come out.
    @Test func aPausedQueueIsReportedOfflineAndItsReceiptCancelledNotPrintedLater() async throws {
        func cups(_ tool: String, _ arguments: [String]) throws {
            let (status, output) = try ChildProcess.run(tool, ["-h", standIns.cupsServer] + arguments, capture: true)
            #expect(status == 0, "\(tool): \(output)")
        }
        try cups("/usr/sbin/cupsdisable", ["-r", "paused by the test", "receipt-faults"])
        var resumed = false
        defer { if !resumed { _ = try? ChildProcess.run("/usr/sbin/cupsenable", ["-h", standIns.cupsServer, "receipt-faults"], capture: true) } }
        let settings = ReceiptPrinterSettings(cupsQueue: Self.faultQueue, rollWidthMillimetres: 80, staleJobSeconds: 3)
        let status = await CUPSReceiptPrinter().status(for: settings)
        #expect(status.state == .offline && status.detail.contains("paused"), "\(status)")
        let job = try await printExpectingCancellation(code: "HN-2612-0123", staleJobSeconds: 3) { error in
            #expect(error.failure == .offline, "\(error)")
            #expect(error.failure.prompt == .receiptFailedPrinter)
            #expect(error.detail.contains("paused"), "\(error.detail)")
        }
        try cups("/usr/sbin/cupsenable", ["receipt-faults"])
        resumed = true
        #expect(await CUPSReceiptPrinter().status(for: settings).state == .online)
        try await expectOnlyTheNextReceiptPrints(after: job)
    }
}
