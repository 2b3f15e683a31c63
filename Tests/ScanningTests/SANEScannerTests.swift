import Foundation
import KioskCore
import KioskHarness
import Scanning
import Testing

/// The document scanner through libsane against SANE's `test` backend (the stand-ins' private
/// SANE_CONFIG_DIR): a flatbed page, a feeder stack until it is empty, every injected fault, a
/// cancel during a slow read, page sizes and the JPEG/PDF budget.
@Suite(.serialized) struct SANEScannerTests {
    init() throws {
        _ = try StandIns.fromEnvironment()
    }

    /// The test backend keeps its options for the whole process (set at sane_init, not per open),
    /// so every test states the fault options it wants, their defaults included.
    static let backendDefaults = ["read-return-value": "Default", "read-delay": "false", "read-limit": "false"]

    static func settings(source: ScanSource = .flatbed, pageSize: PageSize = .a4, dpi: Int = 200,
                         options: [String: String] = [:]) -> ScannerSettings {
        ScannerSettings(deviceName: "test:0", source: source, mode: .gray, resolutionDPI: dpi, pageSize: pageSize,
                        backendOptions: backendDefaults.merging(options) { $1 })
    }

    @Test func aFlatbedPageIsScannedAtTheProfileResolutionOverTheReachableArea() async throws {
        let scanner = SANEScanner(settings: Self.settings())
        let page = try await scanner.scanPage()
        // A4 is clamped to the test backend's 200 x 200 mm: 200 mm at 200 dpi is 1575 dots.
        let area = await scanner.scanArea
        #expect(area.width == 200 && area.height == 200)
        #expect(abs(page.width - 1575) <= 1 && abs(page.height - 1575) <= 1, "\(page.width)x\(page.height)")
        #expect(page.format == .gray && page.dotsPerInch == 200)
        let dark = page.pixels.filter { $0 < 128 }.count
        #expect(dark > page.pixels.count / 100, "the test picture should have dark parts")
    }

    @Test(arguments: [(PageSize.idCard, 85.6, 53.98), (PageSize.a5, 148.0, 200.0)])
    func thePageSizeSetsTheScanArea(size: PageSize, widthMM: Double, heightMM: Double) async throws {
        let scanner = SANEScanner(settings: Self.settings(pageSize: size, dpi: 150))
        let page = try await scanner.scanPage()
        let scanned = page.millimetres
        // The test backend moves the scan area in whole millimetres.
        #expect(abs(scanned.width - widthMM) < 1.5 && abs(scanned.height - heightMM) < 1.5, "\(scanned)")
    }

    @Test func theFeederStackIsScannedUntilItIsEmpty() async throws {
        let scanner = SANEScanner(settings: Self.settings(source: .automaticDocumentFeeder, pageSize: .idCard, dpi: 100))
        let pages = try await scanner.scanFeeder()
        // The test backend's feeder holds ten sheets, then answers SANE_STATUS_NO_DOCS.
        #expect(pages.count == 10)
        // A feeder empty from the start is the citizen's to fix, and said as such.
        await scanner.close()   // one open at a time, as on a real scanner
        let empty = SANEScanner(settings: Self.settings(source: .automaticDocumentFeeder, pageSize: .idCard, dpi: 100,
                                                        options: ["read-return-value": "SANE_STATUS_NO_DOCS"]))
        await #expect {
            _ = try await empty.scanFeeder()
        } throws: { error in
            (error as? ScanFailure)?.fault == .noDocuments && (error as? ScanFailure)?.pagesBefore.isEmpty == true
        }
    }

    @Test(arguments: [
        ("SANE_STATUS_JAMMED", ScanFault.jammed, DeviceState.userError, PromptKey.scanJammed),
        ("SANE_STATUS_NO_DOCS", ScanFault.noDocuments, DeviceState.online, PromptKey.scanNoDocuments),
        ("SANE_STATUS_COVER_OPEN", ScanFault.coverOpen, DeviceState.userError, PromptKey.scanCoverOpen),
        ("SANE_STATUS_IO_ERROR", ScanFault.ioError, DeviceState.hardwareError, PromptKey.scanFailed),
        ("SANE_STATUS_DEVICE_BUSY", ScanFault.deviceBusy, DeviceState.busy, PromptKey.scanBusy),
        ("SANE_STATUS_CANCELLED", ScanFault.cancelled, DeviceState.online, PromptKey.scanCancelled),
        ("SANE_STATUS_ACCESS_DENIED", ScanFault.accessDenied, DeviceState.hardwareError, PromptKey.scanFailed),
        ("SANE_STATUS_NO_MEM", ScanFault.outOfMemory, DeviceState.hardwareError, PromptKey.scanFailed),
    ])
    func everyInjectedFaultIsNamedAndTheScannerWorksAgainAfterwards(status: String, fault: ScanFault, state: DeviceState,
                                                                     prompt: PromptKey) async throws {
        let scanner = SANEScanner(settings: Self.settings(pageSize: .idCard, dpi: 100, options: ["read-return-value": status]))
        do {
            _ = try await scanner.scanPage()
            Issue.record("\(status) was not reported")
        } catch {
            #expect(error.fault == fault)
            #expect(error.detail.contains("sane_read"), "\(error.detail)")
            #expect(fault.deviceState == state && fault.prompt == prompt)
        }
        // Reopened with the fault gone, the same scanner scans.
        await scanner.reconfigure(Self.settings(pageSize: .idCard, dpi: 100))
        let page = try await scanner.scanPage()
        #expect(page.width > 0)
    }

    @Test func aSlowPageIsCancelledFromTheKeypadAtOnce() async throws {
        let scanner = SANEScanner(settings: Self.settings(dpi: 300, options: ["read-delay": "true", "read-delay-duration": "200000",
                                                                             "read-limit": "true", "read-limit-size": "4096"]))
        let cancellation = ScanCancellation()
        let started = ContinuousClock.now
        let scanning = Task { () async throws(ScanFailure) -> ScannedPage in try await scanner.scanPage(cancellation: cancellation) }
        try await Task.sleep(for: .milliseconds(600))
        cancellation.cancel()
        let result = await scanning.result
        guard case let .failure(failure) = result else {
            Issue.record("the slow scan was not cancelled")
            return
        }
        #expect((failure as? ScanFailure)?.fault == .cancelled, "\(failure)")
        // Unmeasured here (speed lives in kiosk-bench): only that it did not run to the end, which
        // at 4 KB per 0.2 s for a 300 dpi page would take minutes.
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    /// SANE's pnm backend scans an image file and has neither a mode nor scan-area options: the
    /// scanner takes its one mode and whole area instead of refusing the device.
    @Test func aDeviceWithoutModeOrScanAreaOptionsScansItsWholeImage() async throws {
        let folder = try PackagePaths.temporaryDirectory("scan-pnm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pattern.pgm")
        let (width, height) = (64, 48)
        let pixels = (0..<(width * height)).map { UInt8(truncatingIfNeeded: $0 % width * 4 ^ $0 / width * 5) }
        try (Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)).write(to: file)
        let scanner = SANEScanner(settings: ScannerSettings(deviceName: "pnm:0", source: .flatbed, mode: .gray, resolutionDPI: 300,
                                                            pageSize: .idCard, backendOptions: ["filename": file.path]))
        let page = try await PNMBackendTurns.take { () async throws -> ScannedPage in
            do {
                let page = try await scanner.scanPage()
                await scanner.close()
                return page
            } catch {
                await scanner.close()
                throw error
            }
        }
        #expect(page.width == width && page.height == height && page.format == .gray)
        #expect(page.pixels == pixels)
        let area = await scanner.scanArea
        #expect(area.width == 0 && area.height == 0)
    }

    @Test func pagesBecomeJPEGWithinTheBudgetAndOnePDF() async throws {
        let scanner = SANEScanner(settings: Self.settings())
        let first = try await scanner.scanPage()
        let second = try await scanner.scanPage()
        let encoded = try [first, second].map { page throws(ScanFailure) in try PageEncoder.jpeg(page) }
        for page in encoded {
            #expect(page.kilobytesPerA4 <= 250, "\(page.kilobytesPerA4) KB per A4 at quality \(page.quality)")
            #expect(Array(page.jpeg.prefix(2)) == [0xFF, 0xD8], "not a JPEG")
        }
        let pdf = try PageEncoder.pdf(encoded)
        #expect(pdf.count < encoded.map(\.jpeg.count).reduce(0, +) + 20_000, "the PDF re-encoded the pages: \(pdf.count) bytes")
        let folder = try PackagePaths.temporaryDirectory("scan-pdf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pages.pdf")
        try pdf.write(to: file)
        let (status, info) = try ChildProcess.run("/usr/bin/pdfinfo", [file.path], capture: true)
        #expect(status == 0)
        #expect(info.contains("Pages:           2"), "\(info)")
        // 1575 dots at 200 dpi are 566.6 points (200 mm).
        #expect(info.contains("Page size:       566.64 x 566.64 pts"), "\(info)")
        // Drawn over the whole page: rendered back, the page's ink matches the scan's.
        let rendered = folder.appendingPathComponent("page").path
        _ = try ChildProcess.run("/usr/bin/pdftoppm", ["-r", "50", "-gray", "-f", "1", "-l", "1", "-singlefile", file.path, rendered], capture: true)
        let pgm = try Data(contentsOf: URL(fileURLWithPath: rendered + ".pgm"))
        let renderedDark = Double(pgm.suffix(394 * 394).filter { $0 < 128 }.count) / Double(394 * 394)
        let scannedDark = Double(first.pixels.filter { $0 < 128 }.count) / Double(first.pixels.count)
        #expect(abs(renderedDark - scannedDark) < 0.05, "rendered \(renderedDark) dark, scanned \(scannedDark)")
        let (_, images) = try ChildProcess.run("/usr/bin/pdfimages", ["-list", file.path], capture: true)
        // Both pages are the scanner's JPEGs at full size, not re-encoded or resampled.
        let jpegRows = images.split(separator: "\n").filter { $0.contains(" jpeg ") }
        #expect(jpegRows.count == 2, "\(images)")
        #expect(jpegRows.allSatisfy { row in
            let columns = row.split(separator: " ")
            return columns.count > 4 && Int(columns[3]) == first.width && Int(columns[4]) == first.height
        }, "\(images)")
    }
}
