import Foundation
import KioskCore
import KioskHarness
import Printing
import ProfileLoading
import Scanning

/// Scanning and receipts side by side with the reference tools, in one run, on the same settings:
/// our scan → finished PDF against `scanimage --format=pdf` (SANE's test backend, 200 dpi gray, its
/// full 200 × 200 mm area, since it cannot scan A4), the page sizes per A4-equivalent area, receipt
/// rendering time, and submitting a receipt to the private cupsd against `lp` with the same PDF.
struct DocumentBenchmark {
    let scans: Int
    let receipts: Int

    struct Figures {
        var scanToPDF = Samples()
        var scanimage = Samples()
        var pageKilobytesPerA4 = Samples()
        var scanimageKilobytesPerA4 = Samples()
        var receiptRender = Samples()
        var receiptSubmit = Samples()
        var lpSubmit = Samples()
    }

    func measure() async throws -> Figures {
        _ = try StandIns.fromEnvironment()
        let profile = try ProfileLoader.load(path: PackagePaths.profile("demo").path)
        let folder = try PackagePaths.temporaryDirectory("bench-documents")
        defer { try? FileManager.default.removeItem(at: folder) }
        var figures = Figures()

        let settings = ScannerSettings(deviceName: "test:0", source: .flatbed, mode: .gray, resolutionDPI: 200, pageSize: .a4,
                                       backendOptions: ["read-return-value": "Default", "read-delay": "false", "read-limit": "false"])
        let scanner = SANEScanner(settings: settings)
        _ = try await scanner.scanPage()   // opened and warm, as on a kiosk
        let reference = folder.appendingPathComponent("scanimage.pdf").path
        // The same area and settings as the kiosk's scan (the area is clamped to 200 x 200 mm).
        let scanimageArguments = ["-d", "test:0", "--mode", "Gray", "--resolution", "200", "-l", "0", "-t", "0", "-x", "200", "-y", "200",
                                  "--format=pdf", "-o", reference]
        // scanimage cannot open test:0 while we hold it: each side gets the device in turn.
        for _ in 0..<scans {
            let started = ContinuousClock.now
            let page = try await scanner.scanPage()
            let encoded = try PageEncoder.jpeg(page)
            _ = try PageEncoder.pdf([encoded])
            figures.scanToPDF.append(milliseconds(.now - started))
            figures.pageKilobytesPerA4.append(encoded.kilobytesPerA4)
            await scanner.close()

            let referenceStarted = ContinuousClock.now
            let (status, output) = try ChildProcess.run("/usr/bin/scanimage", scanimageArguments, capture: true)
            guard status == 0 else { throw BenchmarkFailure("scanimage failed: \(output)") }
            figures.scanimage.append(milliseconds(.now - referenceStarted))
            let size = (try? FileManager.default.attributesOfItem(atPath: reference)[.size] as? Int) ?? 0
            figures.scanimageKilobytesPerA4.append(Double(size) / 1000 / (200.0 * 200.0 / (210 * 297)))
        }

        let procedure = profile.procedures[0]
        let receipt = ApplicationReceipt(applicationCode: "HN-2612-0042", procedure: procedure, submittedAt: Date(),
                                         documents: procedure.requiredDocuments, pageCount: 3,
                                         expectedResultDate: LocalDate(year: 2026, month: 12, day: 7), delivery: .atCounter, hotline: "1900 1234")
        var pdf = Data()
        for _ in 0..<receipts {
            let started = ContinuousClock.now
            pdf = try SlipPDF.render(ReceiptLayout.layout(for: receipt, profile: profile, language: .vietnamese, rollWidthMillimetres: 80))
            figures.receiptRender.append(milliseconds(.now - started))
        }
        let file = folder.appendingPathComponent("receipt.pdf")
        try pdf.write(to: file)
        let printer = CUPSReceiptPrinter()
        for index in 0..<min(receipts, 50) {
            let started = ContinuousClock.now
            _ = try await printer.submit(pdf: pdf, title: "bench receipt \(index)", queue: "receipt")
            figures.receiptSubmit.append(milliseconds(.now - started))
            let lpStarted = ContinuousClock.now
            let (status, output) = try ChildProcess.run("/usr/bin/lp", ["-d", "receipt", "-t", "bench lp \(index)", file.path], capture: true)
            guard status == 0 else { throw BenchmarkFailure("lp failed: \(output)") }
            figures.lpSubmit.append(milliseconds(.now - lpStarted))
        }
        return figures
    }
}
